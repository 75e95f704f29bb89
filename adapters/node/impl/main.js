// The main (browser) process of the implementation: main's `ipc` module, one web
// contents per page, and the routing between pages (sendSync answers, sendToHost to
// the embedder, <webview>.send to the guest).
//
// Every page is a renderer running in its own worker thread (renderer.js); nothing is
// shared with it but a 4-byte flag on which a page blocked in sendSync waits
// (Atomics.wait), and message ports that carry base values (convert.js).
'use strict';

const path = require('node:path');
const { EventEmitter } = require('node:events');
const { MessageChannel, Worker } = require('node:worker_threads');
const { fromWire, toWire } = require('./convert');

const RENDERER = path.join(__dirname, 'renderer.js');

/** Main's `ipc` module: one emitter for every page; listeners get `(event, ...args)` (CH-1, CH-2). */
class IpcMain extends EventEmitter {}

/** The event main's listeners get: the sender's web contents, preventDefault and, for sendSync, returnValue. */
class IpcEvent {
  constructor(sender) {
    this.sender = sender; // the very WebContents object of the sending page, every time (M2R-3, M2R-4)
  }

  preventDefault() {
    this.defaultPrevented = true;
  }
}

/** Main's handle on one page (BrowserWindow.webContents, or a <webview>'s guest). */
class WebContents extends EventEmitter {
  constructor(main, id, embedder, element) {
    super();
    this.id = id;
    this.hostWebContents = embedder; // for a guest: the page whose <webview> holds it
    this._main = main;
    this._element = element;
    this._guests = new Map(); // <webview> element name -> the guest's WebContents
    this._destroyed = false;
    this._flag = new Int32Array(new SharedArrayBuffer(4)); // 1 when an answer is waiting for a blocked page
    const { port1, port2 } = new MessageChannel();
    this._answers = port1;
    this._worker = new Worker(RENDERER, {
      workerData: { id, flag: this._flag.buffer, answers: port2 },
      transferList: [port2],
      stdout: true, // a page's console goes to main's stderr
      stderr: true,
    });
    for (const output of [this._worker.stdout, this._worker.stderr]) output.on('data', (chunk) => process.stderr.write(chunk));
    this._worker.on('message', (message) => main._fromPage(this, message));
    this._worker.on('error', (error) => { // the renderer crashed: it is gone, as a destroyed page
      console.error(`renderer ${id} crashed:`, error);
      this.destroy();
    });
  }

  /**
   * Sends a message to the page's `ipc` listeners, asynchronously (M2R-1), with the
   * arguments converted (section 3).  Returns false for a destroyed page (M2R-6).
   */
  send(channel, ...args) {
    if (typeof channel !== 'string') throw new TypeError(`webContents.send: the channel must be a string, got ${typeof channel}`); // M2R-7
    if (this._destroyed) return false;
    this._post({ type: 'message', channel, args: toWire(args) });
    return true;
  }

  isDestroyed() {
    return this._destroyed;
  }

  /** Closes the page: its renderer stops at once, and so do the guests of its <webview> elements. */
  destroy() {
    if (this._destroyed) return;
    this._destroyed = true;
    this._worker.terminate().catch(() => {});
    this._answers.close();
    for (const guest of this._guests.values()) guest.destroy();
    this._guests.clear();
    const embedder = this.hostWebContents;
    if (embedder !== null && embedder._guests.get(this._element) === this) embedder._guests.delete(this._element);
    this._main._forget(this);
    this.emit('destroyed');
  }

  // Test hooks, in the manner of loadURL and executeJavaScript: run a program in the page,
  // and exchange out-of-band messages with it (delivered in order with IPC messages).

  /** Navigates the page to a program: `require(file)(page, data)` runs in the renderer. */
  load(file, data) {
    this._post({ type: 'load', file, data });
  }

  /** Posts `value` to the page's `page.onMessage` handlers; the page's `page.post` emits 'console-message' here. */
  postMessage(value) {
    this._post({ type: 'post', value });
  }

  _post(message) {
    if (!this._destroyed) this._worker.postMessage(message);
  }

  /** Wakes the page blocked in sendSync or <webview>.send with `answer`; ignored once destroyed (RET-8). */
  _answer(answer) {
    if (this._destroyed) return;
    this._answers.postMessage(answer);
    Atomics.store(this._flag, 0, 1);
    Atomics.notify(this._flag, 0);
  }
}

/** The main process: `ipc`, and the pages it creates. */
class Main {
  constructor() {
    this.ipc = new IpcMain();
    this._pages = new Set();
    this._nextId = 1;
  }

  /** Returns the web contents of a new top-level page (a BrowserWindow). */
  createWindow() {
    return this._add(new WebContents(this, this._nextId++, null, null));
  }

  /** Returns the web contents of a new guest page in the <webview> `element` of `embedder`. */
  createGuest(embedder, element) {
    if (embedder.isDestroyed()) throw new Error('the embedder page is destroyed');
    embedder._guests.get(element)?.destroy();
    const guest = this._add(new WebContents(this, this._nextId++, embedder, element));
    embedder._guests.set(element, guest);
    return guest;
  }

  /** Destroys every page. */
  async close() {
    const workers = [...this._pages].map((page) => page._worker);
    for (const page of [...this._pages]) page.destroy();
    await Promise.allSettled(workers.map((worker) => worker.terminate()));
  }

  _add(contents) {
    this._pages.add(contents);
    return contents;
  }

  _forget(contents) {
    this._pages.delete(contents);
  }

  /** Handles what a page sent, in the order it sent it (one port per page: ORD-1, ORD-2). */
  _fromPage(contents, message) {
    if (contents.isDestroyed()) return;
    switch (message.type) {
      case 'ipc': { // ipc.send: emitted on main's ipc with (event, ...args); an exception is main's own (CH-3, ERR-2)
        const [channel, ...args] = message.packed.map(fromWire); // ipc.send() has no channel: 'undefined' (CH-5)
        this.ipc.emit(channel, new IpcEvent(contents), ...args);
        break;
      }
      case 'ipc-sync': { // ipc.sendSync: answered when a listener assigns event.returnValue, now or later (RET-5)
        const [channel, ...args] = message.packed.map(fromWire);
        const event = new IpcEvent(contents);
        let answered = false;
        Object.defineProperty(event, 'returnValue', { // a setter only: reading gives undefined (RET-4)
          set(value) {
            const json = JSON.stringify(value); // the answer travels as JSON (RET-2); a cycle throws here (RET-3)
            if (json === undefined) throw new TypeError(`event.returnValue: ${typeof value} cannot be sent as JSON`); // RET-3
            if (answered) return; // a second assignment (RET-6, undefined behaviour): ignored
            answered = true;
            contents._answer({ json });
          },
        });
        this.ipc.emit(channel, event, ...args); // nobody assigns: the page stays blocked (RET-7)
        break;
      }
      case 'ipc-host': { // ipc.sendToHost: to the embedder's <webview> element, never to main's ipc (HOST-1, HOST-2)
        const embedder = contents.hostWebContents;
        if (embedder === null || embedder.isDestroyed()) break; // not a guest: dropped (HOST-4)
        const [channel, ...args] = message.packed.map(fromWire);
        embedder._post({ type: 'host', element: contents._element, args: toWire([channel, ...args]) }); // HOST-3: null if omitted
        break;
      }
      case 'webview-send': { // <webview>.send in an embedder, which waits until main handed it on (HOST-5, HOST-6)
        let answer = { ok: true };
        try {
          const guest = contents._guests.get(message.element);
          if (guest === undefined) throw new TypeError(`<webview> ${JSON.stringify(message.element)} has no guest page`);
          const [channel, ...args] = message.packed.map(fromWire);
          guest.send(channel, ...args);
        } catch (error) {
          answer = { error: { name: error.name, message: error.message } };
        }
        contents._answer(answer);
        break;
      }
      case 'post':
        contents.emit('console-message', message.value);
        break;
      default:
        console.error(`unknown message from renderer ${contents.id}:`, message);
    }
  }
}

module.exports = { IpcEvent, IpcMain, Main, WebContents };
