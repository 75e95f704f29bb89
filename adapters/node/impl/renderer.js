// A renderer: one page, in its own worker thread.  Gives the page's code `page.ipc`
// (send, sendSync, sendToHost and their v0.32 aliases; an EventEmitter for what main
// sends), its <webview> elements, its timers, and runs what main asks it to load.
//
// sendSync posts the message, then blocks the whole thread with Atomics.wait until main
// raises the page's flag: no script, timer or listener of the page runs meanwhile (BLK-1);
// what main sends in the meantime waits in the port, in order (BLK-3, ORD-3).
'use strict';

const { EventEmitter } = require('node:events');
const { parentPort, receiveMessageOnPort, workerData } = require('node:worker_threads');
const { fromWire, toWire } = require('./convert');

const flag = new Int32Array(workerData.flag);
const answers = workerData.answers;
const ERRORS = { Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError };

const toMain = (message) => parentPort.postMessage(message);

/** Blocks this thread until main answers (a sendSync or a <webview>.send); returns the answer. */
function waitForMain() {
  while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0);
  Atomics.store(flag, 0, 0);
  let received = receiveMessageOnPort(answers);
  while (received === undefined) { // the flag is raised after the answer is posted: this is not expected
    Atomics.wait(flag, 0, 0, 1);
    received = receiveMessageOnPort(answers);
  }
  return received.message;
}

/** The page's `ipc` module (ipc-renderer.md). Every call sends the channel and arguments as one message. */
class IpcRenderer extends EventEmitter {
  /** Sends `[channel, ...args]` to main's ipc, asynchronously; validates nothing (CH-5, ERR-1, SER-1). */
  send(...message) {
    toMain({ type: 'ipc', packed: toWire(message) });
  }

  /** Sends to main and blocks the page until a listener assigns event.returnValue; returns it, through JSON (RET-2). */
  sendSync(...message) {
    toMain({ type: 'ipc-sync', packed: toWire(message) });
    return JSON.parse(waitForMain().json);
  }

  /** Sends to the <webview> element holding this page, in the embedder page (HOST-1). */
  sendToHost(...message) {
    toMain({ type: 'ipc-host', packed: toWire(message) });
  }

  /** The deprecated names of v0.32 (DEP-1). */
  sendChannel(...message) {
    return this.send(...message);
  }

  sendChannelSync(...message) {
    return this.sendSync(...message);
  }
}

/** A <webview> element of this page (its DOM stand-in). */
class WebviewElement {
  constructor(name, page) {
    this.name = name;
    this._page = page;
    this._listeners = new Map(); // event type -> listeners
  }

  addEventListener(type, listener) {
    if (!this._listeners.has(type)) this._listeners.set(type, []);
    this._listeners.get(type).push(listener);
  }

  removeEventListener(type, listener) {
    const listeners = this._listeners.get(type) ?? [];
    const at = listeners.indexOf(listener);
    if (at >= 0) listeners.splice(at, 1);
  }

  /**
   * Sends to the guest page's ipc listeners (HOST-5).  Goes through main, and blocks this
   * page until main has handed it on; throws a TypeError when the element has no guest (HOST-6).
   */
  send(...message) {
    toMain({ type: 'webview-send', element: this.name, packed: toWire(message) });
    const answer = waitForMain();
    if (answer.error !== undefined) throw new (ERRORS[answer.error.name] ?? Error)(answer.error.message);
  }

  /** Fires an event; a listener that throws is reported and the others still run (DOM rules). */
  dispatchEvent(event) {
    for (const listener of [...(this._listeners.get(event.type) ?? [])]) {
      try {
        listener.call(this, event);
      } catch (error) {
        this._page.reportError(error);
      }
    }
  }
}

/** What a loaded program sees: the page's ipc, elements, timers, and the test hooks. */
class Page {
  constructor(id) {
    this.id = id;
    this.ipc = new IpcRenderer();
    this._elements = new Map();
    this._timers = new Set();
    this._errorHandlers = [];
    this._messageHandlers = [];
  }

  /** Returns this page's <webview> element `name` (the element exists whether or not it holds a guest). */
  webview(name) {
    if (!this._elements.has(name)) this._elements.set(name, new WebviewElement(name, this));
    return this._elements.get(name);
  }

  setTimeout(fn, ms, ...args) {
    const handle = setTimeout(() => {
      this._timers.delete(handle);
      try {
        fn(...args);
      } catch (error) {
        this.reportError(error);
      }
    }, ms);
    this._timers.add(handle);
    return handle;
  }

  clearTimeout(handle) {
    this._timers.delete(handle);
    clearTimeout(handle);
  }

  /** window.onerror: `handler(error)` gets every exception of the page that nothing caught. */
  onUncaughtException(handler) {
    this._errorHandlers.push(handler);
  }

  reportError(error) {
    if (this._errorHandlers.length === 0) console.error(`Uncaught exception in page ${this.id}:`, error);
    for (const handler of this._errorHandlers) {
      try {
        handler(error);
      } catch (inner) {
        console.error(inner);
      }
    }
  }

  /** Test hooks: out-of-band messages with main, in order with the IPC messages. */
  post(value) {
    toMain({ type: 'post', value });
  }

  onMessage(handler) {
    this._messageHandlers.push(handler);
  }

  _unload() {
    for (const handle of this._timers) clearTimeout(handle);
    this._timers.clear();
    this.ipc.removeAllListeners();
    this._elements.clear();
    this._errorHandlers = [];
    this._messageHandlers = [];
  }
}

let page = new Page(workerData.id);

/** Navigates: a fresh page (ipc, elements, timers), then the program runs in it. */
function load(file, data) {
  page._unload();
  page = new Page(workerData.id);
  try {
    require(file)(page, data);
  } catch (error) {
    page.reportError(error);
  }
}

process.on('uncaughtException', (error) => page.reportError(error));

parentPort.on('message', (message) => {
  switch (message.type) {
    case 'message': // webContents.send: the page's listeners get the arguments only (M2R-2)
      try {
        page.ipc.emit(message.channel, ...message.args.map(fromWire)); // 'error' with no listener throws (CH-6)
      } catch (error) {
        page.reportError(error);
      }
      break;
    case 'host': { // a guest's sendToHost, handed on by main: 'ipc-message' on the element (HOST-1, HOST-3)
      const [channel, ...args] = message.args.map(fromWire);
      page.webview(message.element).dispatchEvent({ type: 'ipc-message', channel, args });
      break;
    }
    case 'post':
      for (const handler of [...page._messageHandlers]) {
        try {
          handler(message.value);
        } catch (error) {
          page.reportError(error);
        }
      }
      break;
    case 'load':
      load(message.file, message.data);
      break;
    default:
      console.error('unknown message from main:', message);
  }
});
