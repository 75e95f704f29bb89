// Runs one process's part of a scenario (scenario.schema.json): its listeners, their
// actions and its script, recording every observation as a trace event
// (trace.schema.json) the moment it happens.
//
// Shared by main and the pages, whatever thread they live in: a `binding` supplies the
// process's `ipc` and the operations only that process has (a page's send calls, main's
// webContents.send and event.returnValue ...).
'use strict';

const { decode, decodeList, encode, encodeList } = require('./values');

/** Milliseconds on CLOCK_MONOTONIC: one clock, read the same way in every thread of the machine. */
const now = () => Number(process.hrtime.bigint()) / 1e6;

const ORIGIN = Symbol.for('electron-ipc-conformance.origin');
const PROCESS = Symbol.for('electron-ipc-conformance.process');
const MUTATION_KEY = '__changed_after_send__';
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Marks where an exception comes from: the step (`origin`) and the process, unless already known. */
function tag(error, origin, processName) {
  if (error === null || typeof error !== 'object') return;
  try {
    if (origin !== undefined && !Object.hasOwn(error, ORIGIN)) Object.defineProperty(error, ORIGIN, { value: origin });
    if (processName !== undefined && !Object.hasOwn(error, PROCESS)) Object.defineProperty(error, PROCESS, { value: processName });
  } catch { /* a frozen error: it stays untagged */ }
}

const originOf = (error) => (error !== null && typeof error === 'object' ? error[ORIGIN] : undefined);
const processOf = (error) => (error !== null && typeof error === 'object' ? error[PROCESS] : undefined);

/** Returns the trace `error` of an exception: its name and message. */
function errorDocument(error) {
  const read = (f, fallback) => {
    try {
      const v = f();
      return v === undefined ? fallback : String(v);
    } catch {
      return fallback;
    }
  };
  if (error !== null && typeof error === 'object') {
    return { name: read(() => error.name, 'Error'), message: read(() => error.message, '') };
  }
  return { name: 'Error', message: read(() => error, '') };
}

/** Keeps the thread busy for `ms` running nothing else: no listener, no timer (the `busy` step). */
function busy(ms) {
  const until = now() + ms;
  for (let left = ms; left > 0; left = until - now()) Atomics.wait(SLEEPER, 0, 0, left);
}

/** Changes every array and object reachable from `values` (the `mutateAfter` option, SER-0). */
function mutate(values) {
  const seen = new Set();
  const stack = [...values];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      stack.push(...Object.values(v));
      v.push(MUTATION_KEY);
    } else if (Object.prototype.toString.call(v) === '[object Object]') {
      for (const key of Reflect.ownKeys(v)) {
        const d = Object.getOwnPropertyDescriptor(v, key);
        if ('value' in d) stack.push(d.value);
      }
      Object.defineProperty(v, MUTATION_KEY, { value: true, enumerable: true, writable: true, configurable: true });
    }
  }
}

/** Where an action runs: a listener call (its args and event) or the script. */
class Context {
  constructor(listener, call, args, event) {
    this.listener = listener;
    this.call = call;
    this.args = args;
    this.event = event;
  }

  origin(index) {
    return this.listener === null ? { index } : { listener: this.listener, call: this.call, index };
  }
}

const SCRIPT = new Context(null, null, [], undefined);

/**
 * Returns the positional arguments of a message step (the channel first, unless omitted)
 * and the arguments it sends (what `mutateAfter` changes).
 */
function messageArguments(step, ctx) {
  let channel = [];
  let args;
  if ('channelValue' in step) {
    const [value, ...rest] = decodeList([step.channelValue, ...(step.args ?? [])]);
    channel = [value];
    args = rest;
  } else {
    if ('channel' in step) channel = [step.channel];
    args = decodeList(step.args ?? []);
  }
  if (step.echo) args = [...ctx.args];
  if (channel.length === 0 && args.length > 0) throw new Error('a message with arguments needs a channel, and the step omits it');
  return { positional: [...channel, ...args], sent: args };
}

/** How `returnValue` is defined on an event when a listener starts: setter, property or absent. */
function returnValueShape(event) {
  for (let o = event; o !== null && o !== undefined; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, 'returnValue');
    if (d !== undefined) return 'value' in d ? 'property' : (d.set ? 'setter' : 'absent');
    if (typeof o !== 'object' && typeof o !== 'function') break;
  }
  return 'absent';
}

/**
 * One process's part in one scenario.
 *
 * `binding`:
 * - `name`: the process ("main" or a page id), `ipc`: its ipc module;
 * - `main`: true in main, whose listeners get an event first;
 * - `setTimeout(fn, ms)`, `clearTimeout(handle)`: the process's timers;
 * - `ops`: { [op]: (part, step, ctx, origin) => void } for the steps only this process has;
 * - `describeEvent(event)` (main): the `sender`, `eventToken` and `event` members of a delivery.
 * `sink(event)` receives every trace event.
 */
class ProcessPart {
  constructor(binding, sink) {
    this.binding = binding;
    this.name = binding.name;
    this.ipc = binding.ipc;
    this.sink = sink;
    this.registered = new Map(); // listener id -> [{channel, fn, active}]
    this.calls = new Map(); // listener id -> calls so far
    this.timers = new Set();
    this.pendingTimers = 0; // setTimeout steps, deferred answers and waits not yet run
    this.scriptEnded = false;
  }

  record(type, fields = {}) {
    this.sink({ type, t: now(), ...fields });
  }

  recordException(error) {
    const event = { error: errorDocument(error) };
    const origin = originOf(error);
    if (origin !== undefined) event.origin = origin;
    this.record('exception', event);
  }

  setTimeout(fn, ms) {
    this.pendingTimers += 1;
    const handle = this.binding.setTimeout(() => {
      this.timers.delete(handle);
      this.pendingTimers -= 1;
      fn();
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  /** Cancels the timers of this part (a reset). */
  cancelTimers() {
    for (const handle of this.timers) this.binding.clearTimeout(handle);
    this.timers.clear();
    this.pendingTimers = 0;
  }

  // Listeners

  install(listener) {
    const id = listener.id;
    const actions = listener.actions ?? [];
    const registration = { channel: listener.channel, fn: null, active: true, once: Boolean(listener.once) };
    const onCall = (event, args) => {
      if (registration.once) registration.active = false; // the emitter removed it before calling it
      const call = this.calls.get(id) ?? 0;
      this.calls.set(id, call + 1);
      const delivery = { listener: id, channel: listener.channel, args: encodeList(args) };
      if (this.binding.main) Object.assign(delivery, this.binding.describeEvent(event));
      this.record('deliver', delivery);
      this.runActions(actions, new Context(id, call, args, event));
    };
    registration.fn = this.binding.main
      ? function listenerFunction(event, ...args) { onCall(event, args); }
      : function listenerFunction(...args) { onCall(undefined, args); };
    if (!this.registered.has(id)) this.registered.set(id, []);
    this.registered.get(id).push(registration);
    if (registration.once) this.ipc.once(listener.channel, registration.fn);
    else this.ipc.on(listener.channel, registration.fn);
  }

  /** Installs an 'ipc-message' listener on `element` (an embedder page's <webview>). */
  installHostListener(listener, element) {
    const actions = listener.actions ?? [];
    let calls = 0;
    element.addEventListener('ipc-message', (event) => {
      const args = Array.from(event.args ?? []);
      this.record('host-message', {
        listener: listener.id, element: listener.element, channel: encode(event.channel), args: encodeList(args),
      });
      this.runActions(actions, new Context(listener.id, calls++, args, event));
    });
  }

  runActions(actions, ctx) {
    actions.forEach((action, index) => this.runStep(action, ctx, index)); // a throw ends the call
  }

  // Steps

  runStep(step, ctx, index) {
    try {
      this.step(step, ctx, ctx.origin(index));
    } catch (error) {
      tag(error, ctx.origin(index), this.name);
      throw error;
    }
  }

  step(step, ctx, origin) {
    const op = this.binding.ops[step.op];
    if (op !== undefined) {
      op(this, step, ctx, origin);
      return;
    }
    switch (step.op) {
      case 'throw': throw new Error(step.message);
      case 'on': this.install(step.listener); break;
      case 'removeListener': this.removeListener(step.id); break;
      case 'removeAllListeners':
        if ('channel' in step) this.ipc.removeAllListeners(step.channel);
        else this.ipc.removeAllListeners();
        for (const registrations of this.registered.values()) {
          for (const r of registrations) if (!('channel' in step) || r.channel === step.channel) r.active = false;
        }
        break;
      case 'busy':
        busy(step.ms);
        this.record('busy-end', { origin });
        break;
      case 'setTimeout':
        this.setTimeout(() => this.record('timer', { label: step.label }), step.ms);
        break;
      case 'mark': this.record('mark', { label: step.label }); break;
      default: throw new Error(`step ${JSON.stringify(step.op)} cannot run in ${this.name}`);
    }
  }

  /** `ipc.removeListener` of the latest registration of `id` still registered. */
  removeListener(id) {
    const registrations = this.registered.get(id) ?? [];
    for (let i = registrations.length - 1; i >= 0; i--) {
      const r = registrations[i];
      if (r.active) {
        r.active = false;
        this.ipc.removeListener(r.channel, r.fn);
        return;
      }
    }
  }

  /** Makes a call step: records its start, then its end with the value it returned or what it threw. */
  call(op, origin, fn) {
    this.record('call-start', { origin, op });
    let result;
    try {
      result = fn();
    } catch (error) {
      this.record('call-end', { origin, op, error: errorDocument(error) });
      return;
    }
    this.record('call-end', { origin, op, value: encode(result) });
  }

  /** Makes a message call (send, sendSync ...) with `invoke(...positional)`, then applies mutateAfter. */
  message(step, ctx, origin, invoke) {
    const { positional, sent } = messageArguments(step, ctx);
    this.call(step.op, origin, () => invoke(...positional));
    if (step.mutateAfter) mutate(sent);
  }

  // Scripts

  /** Runs the script from step `start`; a `wait` goes on from a timer. */
  runScript(steps, start = 0) {
    for (let index = start; index < steps.length; index++) {
      const step = steps[index];
      if (step.op === 'wait') {
        this.setTimeout(() => this.runScript(steps, index + 1), step.ms);
        return;
      }
      try {
        this.runStep(step, SCRIPT, index);
      } catch (error) {
        this.recordException(error); // a script step's exception is uncaught; the script goes on
      }
    }
    this.scriptEnded = true;
    this.record('script-end');
  }
}

// Main's steps, given how to reach the pages (`pages.send(pageId, positional)`, `pages.destroy(pageId)`).

/** Returns the ops only main has: webContentsSend, reply, return, readReturnValue, destroy. */
function mainOps({ webContentsSend, destroy }) {
  return {
    webContentsSend: (part, step, ctx, origin) => part.message(step, ctx, origin, (...p) => webContentsSend(step.page, p)),
    reply: (part, step, ctx, origin) => part.message(step, ctx, origin, (...p) => ctx.event.sender.send(...p)),
    return: (part, step, ctx, origin) => {
      const value = step.echo ? [...ctx.args] : decode(step.value);
      if ('afterMs' in step) part.setTimeout(() => assignReturnValue(part, ctx.event, value, origin), step.afterMs);
      else assignReturnValue(part, ctx.event, value, origin);
    },
    readReturnValue: (part, step, ctx, origin) => part.record('return-read', { origin, value: encode(ctx.event.returnValue) }),
    destroy: (part, step) => {
      if (destroy === undefined) throw new Error('this implementation cannot destroy a page');
      destroy(step.page);
      part.record('destroyed', { page: step.page });
    },
  };
}

/** `event.returnValue = value`, stamped before the assignment so that no answer can seem earlier. */
function assignReturnValue(part, event, value, origin) {
  const t = now();
  try {
    event.returnValue = value;
  } catch (error) {
    part.sink({ type: 'return-assigned', t, origin, error: errorDocument(error) });
    tag(error, origin, part.name);
    throw error; // uncaught in main, as in Electron (RET-3)
  }
  part.sink({ type: 'return-assigned', t, origin });
}

/** Returns the ops of a page's ipc calls on `ipc` (and `<webview>.send` through `webview(name)`). */
function pageOps(ipc, webview) {
  const ops = {};
  for (const op of ['send', 'sendSync', 'sendToHost', 'sendChannel', 'sendChannelSync']) {
    ops[op] = (part, step, ctx, origin) => part.message(step, ctx, origin, (...p) => {
      if (typeof ipc[op] !== 'function') throw new TypeError(`ipc.${op} is not a function`); // as calling it would say
      return ipc[op](...p);
    });
  }
  if (webview !== undefined) {
    ops.webviewSend = (part, step, ctx, origin) => {
      const element = webview(step.element);
      part.message(step, ctx, origin, (...p) => element.send(...p));
    };
  }
  return ops;
}

/** Returns a `describeEvent` for main: which page sent (by identity of event.sender), event tokens, shape. */
function eventDescriber(senderOf) {
  const tokens = new Map();
  return (event) => {
    let token = tokens.get(event);
    if (token === undefined) {
      token = tokens.size;
      tokens.set(event, token);
    }
    const isObject = event !== null && (typeof event === 'object' || typeof event === 'function');
    return {
      sender: isObject ? senderOf(event.sender) : null,
      eventToken: token,
      event: {
        preventDefault: isObject && typeof event.preventDefault === 'function',
        returnValue: isObject ? returnValueShape(event) : 'absent',
      },
    };
  };
}

/** Returns whether a process's events show a call that started and has not ended (it is blocked). */
function blocked(events) {
  let open = 0;
  for (const e of events) {
    if (e.type === 'call-start') open += 1;
    else if (e.type === 'call-end') open -= 1;
  }
  return open > 0;
}

module.exports = {
  Context, ProcessPart, SCRIPT, blocked, busy, errorDocument, eventDescriber, mainOps, messageArguments,
  mutate, now, originOf, pageOps, processOf, tag,
};
