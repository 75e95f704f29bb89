// The JavaScript implementation (impl/) behind the adapter protocol: scenarios in, traces out.
//
// Main runs in this thread; pages are renderers (worker threads) kept in a pool across
// scenarios and re-loaded with the page program for each one.  A run: main's listeners,
// then every page's (each page says `ready`), then `go` to every script; the scripts are
// waited for until they end, or nothing happens for blockMs (a page blocked for good);
// then barrier rounds to every page that can answer show when nothing is in flight.
'use strict';

const path = require('node:path');
const { Main } = require('../impl');
const { ProcessPart, blocked, eventDescriber, mainOps, now } = require('../kit/interpreter');
const { ALL_VALUE_KINDS } = require('../kit/values');
const { version } = require('../package.json');

const PAGE_PROGRAM = path.join(__dirname, 'page-program.js');
const DEFAULT_BLOCK_MS = 2000;
const READY_TIMEOUT_MS = 15000;
const BARRIER_TIMEOUT_MS = 2000;
const POLL_MS = 1;
const CAPABILITIES = ['multiplePages', 'sendSync', 'sendToHost', 'webview', 'destroy', 'timers', 'channelValues', 'mutateAfter', 'busy'];

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** What one scenario run has seen so far. */
class RunState {
  constructor(pages) {
    this.pages = pages; // page id -> WebContents
    this.events = { main: [] };
    for (const id of pages.keys()) this.events[id] = [];
    this.ready = new Set();
    this.barriers = new Map();
    this.lastProgress = now();
  }

  add(process, event) {
    this.events[process].push(event);
    this.lastProgress = now();
  }

  count() {
    return Object.values(this.events).reduce((n, events) => n + events.length, 0);
  }

  pageOf(contents) {
    for (const [id, c] of this.pages) if (c === contents) return id;
    return null;
  }
}

class ReferenceJsAdapter {
  constructor() {
    this.main = new Main();
    this.pool = []; // top-level pages
    this.guests = new Map(); // `${embedder id}/${element}` -> guest WebContents
    this.state = null;
    this.mainPart = null;
    this.gen = 0;
    process.on('uncaughtException', (error) => { // main's uncaught exceptions (CH-3, CH-6, RET-3)
      if (this.state !== null && this.mainPart !== null) this.mainPart.recordException(error);
      else console.error('uncaught exception in main outside a scenario:', error);
    });
  }

  async hello() {
    return {
      implementation: { name: 'reference-js', version, language: 'JavaScript' },
      edition: 'v0.32',
      capabilities: CAPABILITIES,
      valueKinds: ALL_VALUE_KINDS,
    };
  }

  /** Forgets main's listeners and the timers of the last scenario. */
  async reset() {
    this.main.ipc.removeAllListeners();
    this.mainPart?.cancelTimers();
    this.state = null;
    this.mainPart = null;
  }

  async run(scenario) {
    const gen = ++this.gen;
    const pages = this.assignPages(scenario);
    const state = this.state = new RunState(pages);
    const mainPart = this.mainPart = new ProcessPart({
      name: 'main',
      main: true,
      ipc: this.main.ipc,
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle),
      ops: mainOps({
        webContentsSend: (id, positional) => pages.get(id).send(...positional),
        destroy: (id) => pages.get(id).destroy(),
      }),
      describeEvent: eventDescriber((sender) => state.pageOf(sender)),
    }, (event) => state.add('main', event));
    for (const listener of scenario.main.listeners ?? []) mainPart.install(listener);

    const renderers = scenario.renderers ?? {};
    for (const [id, contents] of pages) {
      contents.currentGen = gen;
      contents.currentRun = { state, id };
      contents.load(PAGE_PROGRAM, { part: renderers[id] ?? {}, gen });
    }
    await this.until(() => state.ready.size === pages.size, READY_TIMEOUT_MS, 'every page to load its part');
    for (const contents of pages.values()) contents.postMessage({ gen, go: true });
    setImmediate(() => mainPart.runScript(scenario.main.script ?? []));

    const blockMs = scenario.limits?.blockMs ?? DEFAULT_BLOCK_MS;
    await this.waitForScripts(state, blockMs);
    await this.settle(state, mainPart, blockMs, gen);
    this.discardUnusable(state);
    return { processes: state.events };
  }

  async close() {
    await this.main.close();
  }

  // Pages

  newPage(embedder, element) {
    const contents = embedder === undefined ? this.main.createWindow() : this.main.createGuest(embedder, element);
    contents.on('console-message', (value) => this.fromPage(contents, value));
    return contents;
  }

  /** Returns the scenario's pages (id -> WebContents), reusing live pages and guests. */
  assignPages(scenario) {
    const pages = new Map();
    this.pool = this.pool.filter((contents) => !contents.isDestroyed());
    const topLevel = scenario.pages.filter((p) => p.guest === undefined);
    while (this.pool.length < topLevel.length) this.pool.push(this.newPage());
    topLevel.forEach((page, i) => pages.set(page.id, this.pool[i]));
    const wanted = new Set();
    for (const page of scenario.pages) {
      if (page.guest === undefined) continue;
      const embedder = pages.get(page.guest.embedder);
      if (embedder === undefined) throw new Error(`guest ${page.id}: its embedder ${page.guest.embedder} is no earlier page`);
      const key = `${embedder.id}/${page.guest.element}`;
      wanted.add(key);
      let guest = this.guests.get(key);
      if (guest === undefined || guest.isDestroyed()) {
        guest = this.newPage(embedder, page.guest.element);
        this.guests.set(key, guest);
      }
      pages.set(page.id, guest);
    }
    for (const [key, guest] of this.guests) {
      if (!wanted.has(key) || guest.isDestroyed()) {
        guest.destroy();
        this.guests.delete(key);
      }
    }
    return pages;
  }

  /** A page's out-of-band message: ready, a trace event, or a barrier's echo. */
  fromPage(contents, value) {
    const run = contents.currentRun;
    if (run === undefined || run.state !== this.state || value === null || typeof value !== 'object') return;
    if (value.gen !== contents.currentGen) return; // a late message of an earlier scenario
    if (value.ready) run.state.ready.add(run.id);
    else if (value.event !== undefined) run.state.add(run.id, value.event);
    else if ('barrier' in value) run.state.barriers.set(run.id, value);
  }

  /** Destroys the pages a later scenario cannot reuse: blocked, or with an unfinished script. */
  discardUnusable(state) {
    for (const [id, contents] of state.pages) {
      const events = state.events[id];
      if (!contents.isDestroyed() && (blocked(events) || !events.some((e) => e.type === 'script-end'))) contents.destroy();
    }
  }

  // Waiting

  async until(done, timeoutMs, what) {
    const deadline = now() + timeoutMs;
    while (!done()) {
      if (now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(POLL_MS);
    }
  }

  /** Waits until every script ended, or nothing happened for blockMs (a script is blocked). */
  async waitForScripts(state, blockMs) {
    const processes = ['main', ...state.pages.keys()];
    const ended = () => processes.every((p) => state.events[p].some((e) => e.type === 'script-end'));
    while (!ended() && now() - state.lastProgress < blockMs) await sleep(POLL_MS);
  }

  /**
   * Barrier rounds until two rounds in a row bring nothing new and no timer is pending
   * (or pending timers have brought nothing for blockMs).  A barrier travels behind
   * everything main sent the page, and its echo behind everything the page sent main.
   */
  async settle(state, mainPart, blockMs, gen) {
    let seen = -1;
    let quietRounds = 0;
    for (let round = 0; quietRounds < 2; round++) {
      const answering = [...state.pages].filter(([id, c]) => !c.isDestroyed() && !blocked(state.events[id]));
      state.barriers.clear();
      for (const [, contents] of answering) contents.postMessage({ gen, barrier: round });
      const limit = now() + BARRIER_TIMEOUT_MS;
      while (answering.some(([id]) => !state.barriers.has(id)) && now() < limit) await sleep(POLL_MS);
      let pending = mainPart.pendingTimers;
      for (const barrier of state.barriers.values()) pending += barrier.pendingTimers;
      const count = state.count();
      const quiet = count === seen && (pending === 0 || now() - state.lastProgress >= blockMs);
      quietRounds = quiet ? quietRounds + 1 : 0;
      if (pending > 0 && !quiet) await sleep(POLL_MS);
      seen = count;
    }
  }
}

module.exports = { ReferenceJsAdapter };
