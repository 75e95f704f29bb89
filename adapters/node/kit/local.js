// Runs scenarios on an implementation that lives in this thread: a library whose main
// and renderer objects are plain JavaScript objects (a mock of Electron's ipc, say).
//
// An adapter describes the implementation (`defineLocalAdapter`): what it claims, and
// how to build a fresh "world" for a scenario (main's ipc, every page's ipc, how main
// reaches a page).  The runner installs the listeners, starts the scripts, waits for
// them, waits until the implementation is idle (no timer of this thread pending, nothing
// recorded any more) and answers with the trace.
'use strict';

const { ProcessPart, eventDescriber, mainOps, now, pageOps, processOf, tag } = require('./interpreter');
const { ALL_VALUE_KINDS } = require('./values');

const DEFAULT_BLOCK_MS = 2000;
const POLL_MS = 1;

// --- What is pending in this thread ----------------------------------------------------
// Every timer and immediate created through the globals is counted until it runs or is
// cleared, the implementation's own included: that is how the runner knows it is idle.
// The runner's own waits use the original functions, so they are not counted.

const original = {
  setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout,
  setImmediate: globalThis.setImmediate, clearImmediate: globalThis.clearImmediate,
  setInterval: globalThis.setInterval, clearInterval: globalThis.clearInterval,
};
const pending = new Map(); // handle -> the function that clears it

function countPending() {
  if (globalThis.setTimeout !== original.setTimeout) return; // already counting
  const wrap = (schedule, clear, repeats) => function counted(fn, ...rest) {
    if (typeof fn !== 'function') return schedule(fn, ...rest);
    const handle = schedule(function run(...args) {
      if (!repeats) pending.delete(handle);
      return fn.apply(this, args);
    }, ...rest);
    pending.set(handle, clear);
    return handle;
  };
  const unwrap = (clear) => function cleared(handle) {
    pending.delete(handle);
    return clear(handle);
  };
  globalThis.setTimeout = wrap(original.setTimeout, original.clearTimeout, false);
  globalThis.setImmediate = wrap(original.setImmediate, original.clearImmediate, false);
  globalThis.setInterval = wrap(original.setInterval, original.clearInterval, true);
  globalThis.clearTimeout = unwrap(original.clearTimeout);
  globalThis.clearImmediate = unwrap(original.clearImmediate);
  globalThis.clearInterval = unwrap(original.clearInterval);
}

/** Clears every timer still pending: they belong to the worlds of earlier scenarios (a reset). */
function clearPending() {
  for (const [handle, clear] of pending) clear(handle);
  pending.clear();
}

const sleep = (ms) => new Promise((done) => original.setTimeout(done, ms));

// --- One run -----------------------------------------------------------------------------

class Run {
  constructor(pageIds) {
    this.events = { main: [] };
    for (const id of pageIds) this.events[id] = [];
    this.lastProgress = now();
  }

  add(process, event) {
    this.events[process].push(event);
    this.lastProgress = now();
  }

  count() {
    return Object.values(this.events).reduce((n, events) => n + events.length, 0);
  }
}

/** Wraps `emitter.emit` so that an exception thrown while it dispatches is known to be `processName`'s. */
function attribute(emitter, processName) {
  const emit = emitter.emit;
  emitter.emit = function attributed(...args) {
    try {
      return emit.apply(this, args);
    } catch (error) {
      tag(error, undefined, processName);
      throw error;
    }
  };
}

/**
 * Returns an adapter (for kit/protocol.js `serve`) running scenarios on an in-thread implementation.
 *
 * `definition`:
 * - `implementation`: {name, version, language, homepage};
 * - `capabilities`, `valueKinds`: what hello claims (see docs/implementers-guide.md, section 3);
 * - `createWorld(scenario)`: a fresh world for one scenario:
 *   { main: {ipc, webContentsSend(pageId, positional), destroy?(pageId)},
 *     pages: {[pageId]: {ipc, webContents?, webview?(name)}},
 *     emitters?: [[processName, EventEmitter]], dispose?() }.
 *   `webContents` is the object that stands for the page in main: a delivery's `sender`
 *   is the one page whose webContents is `event.sender` (null if none, or several, is).
 */
function defineLocalAdapter(definition) {
  countPending();
  let current = null;
  let parts = {};

  process.on('uncaughtException', (error) => {
    const processName = processOf(error) ?? 'main';
    if (current !== null && parts[processName] !== undefined) {
      parts[processName].recordException(error);
    } else {
      console.error('uncaught exception outside a scenario:', error);
    }
  });
  process.on('unhandledRejection', (reason) => console.error('unhandled rejection:', reason));

  async function run(scenario) {
    const pageIds = scenario.pages.map((p) => p.id);
    const world = definition.createWorld(scenario);
    const thisRun = new Run(pageIds);
    current = thisRun;
    const sink = (processName) => (event) => {
      if (current === thisRun) thisRun.add(processName, event);
    };
    const senderOf = (sender) => {
      const matches = pageIds.filter((id) => world.pages[id].webContents !== undefined && world.pages[id].webContents === sender);
      return matches.length === 1 ? matches[0] : null;
    };
    const timers = { setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms), clearTimeout: (h) => globalThis.clearTimeout(h) };
    parts = {
      main: new ProcessPart({
        name: 'main', main: true, ipc: world.main.ipc, ...timers,
        ops: mainOps({ webContentsSend: world.main.webContentsSend, destroy: world.main.destroy }),
        describeEvent: eventDescriber(senderOf),
      }, sink('main')),
    };
    for (const id of pageIds) {
      const page = world.pages[id];
      parts[id] = new ProcessPart({ name: id, main: false, ipc: page.ipc, ...timers, ops: pageOps(page.ipc, page.webview) }, sink(id));
    }
    for (const [processName, emitter] of world.emitters ?? []) attribute(emitter, processName);

    const renderers = scenario.renderers ?? {};
    for (const listener of scenario.main.listeners ?? []) parts.main.install(listener);
    for (const id of pageIds) {
      for (const listener of renderers[id]?.listeners ?? []) parts[id].install(listener);
      for (const listener of renderers[id]?.hostListeners ?? []) {
        if (world.pages[id].webview === undefined) throw new Error('this implementation has no <webview> elements');
        parts[id].installHostListener(listener, world.pages[id].webview(listener.element));
      }
    }
    const scripts = [['main', scenario.main.script ?? []], ...pageIds.map((id) => [id, renderers[id]?.script ?? []])];
    for (const [processName, script] of scripts) original.setImmediate(() => parts[processName].runScript(script));

    const blockMs = scenario.limits?.blockMs ?? DEFAULT_BLOCK_MS;
    const ended = () => Object.values(parts).every((part) => part.scriptEnded);
    await sleep(0);
    while (!ended() && now() - thisRun.lastProgress < blockMs) await sleep(POLL_MS);
    let quietRounds = 0;
    let seen = -1;
    while (quietRounds < 2) { // idle: nothing pending in this thread and nothing new, twice in a row
      await sleep(POLL_MS);
      const count = thisRun.count();
      if (count === seen && (pending.size === 0 || now() - thisRun.lastProgress >= blockMs)) quietRounds += 1;
      else quietRounds = 0;
      seen = count;
    }
    current = null;
    try {
      world.dispose?.();
    } catch (error) {
      console.error('dispose failed:', error);
    }
    return { processes: thisRun.events };
  }

  return {
    async hello() {
      return {
        implementation: definition.implementation,
        edition: 'v0.32',
        capabilities: definition.capabilities,
        valueKinds: definition.valueKinds,
      };
    },
    async reset() {
      current = null;
      for (const part of Object.values(parts)) part.cancelTimers();
      clearPending();
    },
    run,
    async close() {},
  };
}

module.exports = { ALL_VALUE_KINDS, DEFAULT_BLOCK_MS, defineLocalAdapter, original, pending };
