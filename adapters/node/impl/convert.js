// Argument conversion of Electron v0.32 (SEMANTICS.md section 3), as its V8ValueConverter
// does it, in two phases.
//
// Phase 1, on the sender (`toWire`): the whole message (the channel and the arguments of
// one call, one list) is walked depth first, in the sender's own-key order, into "base
// values" that carry no JavaScript identity: null, booleans, numbers, strings, lists
// (Arrays) and dictionaries (Maps whose keys are sorted by their UTF-8 bytes, like
// base::DictionaryValue).  Base values are what crosses between threads.
// Phase 2, on the receiver (`fromWire`): fresh JavaScript values are built from them,
// one property assignment per key, in the dictionary's (byte) order.
'use strict';

const DEPTH_LIMIT = 99; // a value this many levels below a top-level argument, or deeper, is dropped (SER-11)
const DROPPED = Symbol('dropped'); // phase 1 gives nothing (the converter returns nullptr)

const isBinary = (value) => ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]';

/** Returns the bytes V8 writes for `text` (String::Utf8Value): a lone surrogate as its own 3 bytes. */
function utf8(text) {
  const bytes = [];
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i += 1;
      }
    }
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return bytes;
}

/** Orders two keys by their UTF-8 bytes (SER-7). */
function compareUtf8(a, b) {
  const x = utf8(a);
  const y = utf8(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** Returns `entries` ([key, value] pairs) sorted by the UTF-8 bytes of their keys. */
function sortedByBytes(entries) {
  const keyed = entries.map((entry) => [utf8(entry[0]), entry]);
  keyed.sort(([x], [y]) => {
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  });
  return keyed.map(([, entry]) => entry);
}

/** Phase 1: returns the base values of one message's values, with one set of objects met (SER-10). */
function toWire(values) {
  const met = new Set();
  function convert(value, depth) {
    if (depth >= DEPTH_LIMIT) return DROPPED; // checked first: even a number is dropped (SER-11)
    switch (typeof value) {
      case 'boolean': case 'number': case 'string': return value; // SER-3, SER-4: exactly
      case 'undefined': case 'function': case 'symbol': case 'bigint': return DROPPED; // SER-2, SER-5, SER-6
      default: break;
    }
    if (value === null) return null;
    if (isBinary(value)) return null; // a Buffer or Uint8Array is binary data, which arrives as null (SER-9)
    if (met.has(value)) return null; // met before in this message: a cycle or a shared reference (SER-10)
    met.add(value);
    if (Array.isArray(value)) { // SER-5: holes skipped, unconvertible elements null, other properties dropped
      const list = [];
      for (let i = 0; i < value.length; i++) {
        if (!Object.prototype.hasOwnProperty.call(value, i)) continue;
        const item = convert(value[i], depth + 1);
        list.push(item === DROPPED ? null : item);
      }
      return list;
    }
    // SER-6, SER-8: own enumerable string-keyed data properties, accessors skipped without
    // calling them; Dates, Maps, Errors ... have none, typed arrays have their indices.
    const entries = [];
    for (const key of Object.keys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor === undefined || !('value' in descriptor)) continue;
      const item = convert(descriptor.value, depth + 1);
      if (item !== DROPPED) entries.push([key, item]);
    }
    return new Map(sortedByBytes(entries));
  }
  return values.map((value) => {
    const base = convert(value, 0);
    return base === DROPPED ? null : base; // SER-2: the number of arguments is kept
  });
}

/**
 * Phase 2: returns a fresh JavaScript value built from a base value.  Keys are assigned
 * in byte order, so integer-like keys enumerate first, then the rest in byte order
 * (SER-7); assigning "__proto__" runs the prototype setter, so it is no own property (SER-12).
 */
function fromWire(base) {
  if (Array.isArray(base)) return base.map(fromWire);
  if (base instanceof Map) {
    const object = {};
    for (const [key, value] of base) object[key] = fromWire(value);
    return object;
  }
  return base;
}

module.exports = { DEPTH_LIMIT, compareUtf8, fromWire, toWire, utf8 };
