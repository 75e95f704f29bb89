// Tagged value documents (schemas/value.schema.json) <-> real JavaScript values, both ways.
//
// Scenarios hand adapters their arguments as documents; `decodeList` builds the JavaScript
// values an implementation sends (functions, Symbols, holes, getters, cycles ...), and
// `encodeList` writes what arrived back as documents, keys in the order JavaScript
// enumerates them.  Decoding never runs anything: names, getter results and class names
// are data.
'use strict';

const SPECIAL_NUMBERS = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };
const TYPED_ARRAY_KINDS = new Set([
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array',
]);
const ERROR_KINDS = new Set(['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError']);

class ValueError extends Error {
  constructor(path, message) {
    super(`${path || '<root>'}: ${message}`);
    this.name = 'ValueError';
  }
}

// --- Decoding -------------------------------------------------------------------------

const classes = new Map();

/** Returns the class named `name`, one per name, so that decoded instances share a prototype. */
function classNamed(name) {
  if (!classes.has(name)) classes.set(name, { [name]: class {} }[name]);
  return classes.get(name);
}

function number(raw, path) {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && Object.hasOwn(SPECIAL_NUMBERS, raw)) return SPECIAL_NUMBERS[raw];
  throw new ValueError(path, `${JSON.stringify(raw)} is not a number document (a finite JSON number, "NaN", "Infinity", "-Infinity" or "-0")`);
}

function ownData(target, key, value, enumerable) {
  // Never `target[key] = value`: for the key "__proto__" that would set the prototype.
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}

/**
 * Returns the JavaScript values of `docs`, one argument list sharing one id space
 * (a ref in one argument may name a thing defined in an earlier one).
 */
function decodeList(docs) {
  if (!Array.isArray(docs)) throw new ValueError('', 'expected an array of value documents');
  const ids = new Map();
  const define = (doc, thing, path) => {
    if ('id' in doc) {
      if (!Number.isInteger(doc.id) || doc.id < 0) throw new ValueError(`${path}/id`, `bad id ${JSON.stringify(doc.id)}`);
      if (ids.has(doc.id)) throw new ValueError(`${path}/id`, `id ${doc.id} is defined twice`);
      ids.set(doc.id, thing);
    }
    return thing;
  };

  function value(doc, path) {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new ValueError(path, `expected a value document, got ${JSON.stringify(doc)}`);
    }
    switch (doc.type) {
      case 'undefined': return undefined;
      case 'null': return null;
      case 'boolean': return doc.value;
      case 'number': return number(doc.value, `${path}/value`);
      case 'string':
        if ('value' in doc) return doc.value;
        return String.fromCharCode(...doc.utf16);
      case 'symbol': return define(doc, doc.description === null ? Symbol() : Symbol(doc.description), path);
      case 'function': {
        const f = define(doc, function () {}, path);
        Object.defineProperty(f, 'name', { value: doc.name, configurable: true });
        return f;
      }
      case 'array': {
        const items = doc.items;
        const array = define(doc, new Array(items.length), path); // holes stay holes
        items.forEach((item, i) => {
          if (item && item.type === 'hole') return;
          array[i] = value(item, `${path}/items/${i}`);
        });
        (doc.properties ?? []).forEach((p, i) => ownData(array, p.key, value(p.value, `${path}/properties/${i}/value`), true));
        return array;
      }
      case 'object': {
        const object = define(doc, doc.class === undefined ? {} : Object.create(classNamed(doc.class).prototype), path);
        doc.properties.forEach((p, i) => {
          const where = `${path}/properties/${i}`;
          const key = 'key' in p ? p.key : value(p.symbol, `${where}/symbol`); // the key first: document order
          if (typeof key !== 'string' && typeof key !== 'symbol') throw new ValueError(`${where}/symbol`, 'not a symbol');
          const enumerable = p.enumerable !== false;
          if ('get' in p) {
            const got = value(p.get, `${where}/get`);
            Object.defineProperty(object, key, { get: () => got, enumerable, configurable: true });
          } else {
            ownData(object, key, value(p.value, `${where}/value`), enumerable);
          }
        });
        return object;
      }
      case 'date': return define(doc, new Date(number(doc.time, `${path}/time`)), path);
      case 'regexp': {
        let regexp;
        try {
          regexp = new RegExp(doc.source, doc.flags);
        } catch (error) { // e.g. flags "uv" together, or a source that is no pattern: no such RegExp exists
          throw new ValueError(path, `no JavaScript RegExp has source ${JSON.stringify(doc.source)} and flags ${JSON.stringify(doc.flags)} (${error.message})`);
        }
        return define(doc, regexp, path);
      }
      case 'error': {
        const Kind = ERROR_KINDS.has(doc.name) ? globalThis[doc.name] : Error;
        const error = define(doc, new Kind(doc.message), path);
        if (!ERROR_KINDS.has(doc.name)) ownData(error, 'name', doc.name, false);
        return error;
      }
      case 'map': {
        const map = define(doc, new Map(), path);
        doc.entries.forEach(([k, v], i) => {
          const key = value(k, `${path}/entries/${i}/0`);
          map.set(key, value(v, `${path}/entries/${i}/1`));
        });
        return map;
      }
      case 'set': {
        const set = define(doc, new Set(), path);
        doc.values.forEach((v, i) => set.add(value(v, `${path}/values/${i}`)));
        return set;
      }
      case 'promise': return define(doc, new Promise(() => {}), path);
      case 'arraybuffer': {
        const bytes = Buffer.from(doc.base64, 'base64');
        const buffer = new ArrayBuffer(bytes.length); // exactly that size: Buffer's own may be a shared pool
        new Uint8Array(buffer).set(bytes);
        return define(doc, buffer, path);
      }
      case 'buffer': return define(doc, Buffer.from(doc.base64, 'base64'), path);
      case 'typedarray': {
        if (!TYPED_ARRAY_KINDS.has(doc.kind)) throw new ValueError(`${path}/kind`, `unknown typed array kind ${JSON.stringify(doc.kind)}`);
        const values = doc.values.map((v, i) => number(v, `${path}/values/${i}`));
        return define(doc, new globalThis[doc.kind](values), path);
      }
      case 'ref':
        if (!ids.has(doc.id)) throw new ValueError(path, `ref to id ${doc.id}, which is not defined earlier`);
        return ids.get(doc.id);
      case 'hole': throw new ValueError(path, 'a hole is only valid directly in an array\'s items');
      default: throw new ValueError(path, `unknown value type ${JSON.stringify(doc.type)}`);
    }
  }
  return docs.map((doc, i) => value(doc, `/${i}`));
}

/** Returns the JavaScript value of one document. */
const decode = (doc) => decodeList([doc])[0];

// --- Encoding -------------------------------------------------------------------------

const toString = (v) => Object.prototype.toString.call(v);
const isArrayIndex = (key) => /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;

function encodeNumber(n) {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Object.is(n, -0)) return '-0';
  return n;
}

const wellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed()
  : (s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

function encodeString(s) {
  if (wellFormed(s)) return { type: 'string', value: s };
  return { type: 'string', utf16: Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)) };
}

/** Returns which form of value.schema.json an object takes. */
function formOf(v) {
  if (Array.isArray(v)) return 'array';
  if (Buffer.isBuffer(v)) return 'buffer';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView) && TYPED_ARRAY_KINDS.has(toString(v).slice(8, -1))) return 'typedarray';
  switch (toString(v)) {
    case '[object ArrayBuffer]': return 'arraybuffer';
    case '[object Date]': return 'date';
    case '[object RegExp]': return 'regexp';
    case '[object Error]': return 'error';
    case '[object Map]': return 'map';
    case '[object Set]': return 'set';
    case '[object Promise]': return 'promise';
    default: return 'object';
  }
}

/** Returns the class name of an instance, or undefined for plain objects and prototypes no class owns. */
function classOf(v) {
  const proto = Object.getPrototypeOf(v);
  if (proto === null || proto === Object.prototype) return undefined;
  const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  if (typeof ctor !== 'function' || ctor.prototype !== proto) return undefined; // e.g. `obj.__proto__ = {a: 1}`
  const name = typeof ctor.name === 'string' ? ctor.name : '';
  return name === '' || name === 'Object' || !wellFormed(name) ? undefined : name;
}

function readGetter(v, descriptor) {
  try {
    return descriptor.get ? descriptor.get.call(v) : undefined;
  } catch {
    return undefined; // a getter that throws reports undefined: the value model has no "throws"
  }
}

/** What the encoder walks inside `v`: [key-or-symbol, value] for objects, values for the rest. */
function children(v) {
  switch (formOf(v)) {
    case 'array': return Object.keys(v).map((k) => v[k]);
    case 'object': return Reflect.ownKeys(v).flatMap((k) => {
      const d = Object.getOwnPropertyDescriptor(v, k);
      return [k, 'value' in d ? d.value : readGetter(v, d)];
    });
    case 'map': return [...v].flat();
    case 'set': return [...v];
    default: return [];
  }
}

const hasIdentity = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function' || typeof v === 'symbol';

/**
 * Returns the documents of `values`, one argument list in one id space; ids go only to
 * what is met more than once (canonical), numbered in document order.
 */
function encodeList(values) {
  const met = new Map();
  const pending = [...values];
  while (pending.length > 0) { // iterative, so that deep values do not exhaust the stack
    const v = pending.pop();
    if (!hasIdentity(v)) continue;
    const seen = met.get(v) ?? 0;
    met.set(v, seen + 1);
    if (seen === 0 && typeof v === 'object') pending.push(...children(v));
  }
  const ids = new Map();
  const start = (v, type) => {
    if ((met.get(v) ?? 0) < 2) return { type };
    ids.set(v, ids.size + 1);
    return { type, id: ids.size };
  };

  function value(v) {
    if (hasIdentity(v) && ids.has(v)) return { type: 'ref', id: ids.get(v) };
    switch (typeof v) {
      case 'undefined': return { type: 'undefined' };
      case 'boolean': return { type: 'boolean', value: v };
      case 'number': return { type: 'number', value: encodeNumber(v) };
      case 'bigint': return { type: 'number', value: encodeNumber(Number(v)) }; // outside the model: nearest
      case 'string': return encodeString(v);
      case 'symbol': {
        const description = v.description;
        return { ...start(v, 'symbol'), description: description === undefined || !wellFormed(description) ? null : description };
      }
      case 'function': {
        let name = '';
        try { name = typeof v.name === 'string' && wellFormed(v.name) ? v.name : ''; } catch { /* a throwing name getter */ }
        return { ...start(v, 'function'), name };
      }
      default: break;
    }
    if (v === null) return { type: 'null' };
    const form = formOf(v);
    const doc = start(v, form);
    switch (form) {
      case 'array': {
        doc.items = Array.from({ length: v.length }, (_, i) => (Object.hasOwn(v, i) ? value(v[i]) : { type: 'hole' }));
        const extra = Object.keys(v).filter((k) => !isArrayIndex(k) && wellFormed(k));
        if (extra.length > 0) doc.properties = extra.map((k) => ({ key: k, value: value(v[k]) }));
        break;
      }
      case 'object': {
        const cls = classOf(v);
        if (cls !== undefined) doc.class = cls;
        doc.properties = [];
        for (const key of Reflect.ownKeys(v)) { // JavaScript's own order: indices, strings, symbols
          if (typeof key === 'string' && !wellFormed(key)) continue; // no document can name this key
          const d = Object.getOwnPropertyDescriptor(v, key);
          const p = typeof key === 'symbol' ? { symbol: value(key) } : { key };
          if ('value' in d) p.value = value(d.value);
          else p.get = value(readGetter(v, d)); // reports what the getter returns, so it calls it
          if (!d.enumerable) p.enumerable = false;
          doc.properties.push(p);
        }
        break;
      }
      case 'date': {
        const time = v.getTime();
        doc.time = Number.isNaN(time) ? 'NaN' : time;
        break;
      }
      case 'regexp': doc.source = v.source; doc.flags = v.flags; break;
      case 'error': doc.name = safeString(() => v.name, 'Error'); doc.message = safeString(() => v.message, ''); break;
      case 'map': doc.entries = [...v].map(([k, x]) => { const key = value(k); return [key, value(x)]; }); break;
      case 'set': doc.values = [...v].map(value); break;
      case 'arraybuffer': doc.base64 = Buffer.from(new Uint8Array(v)).toString('base64'); break;
      case 'buffer': doc.base64 = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'); break;
      case 'typedarray': doc.kind = toString(v).slice(8, -1); doc.values = Array.from(v, encodeNumber); break;
      default: break;
    }
    return doc;
  }
  return values.map(value);
}

function safeString(read, fallback) {
  try {
    const s = String(read());
    return wellFormed(s) ? s : fallback;
  } catch {
    return fallback;
  }
}

/** Returns the document of one value. */
const encode = (v) => encodeList([v])[0];

/** Every value kind of hello's `valueKinds`: this codec builds them all. */
const ALL_VALUE_KINDS = [
  'undefined', 'null', 'boolean', 'number', 'string', 'symbol', 'function', 'array', 'hole', 'object',
  'date', 'regexp', 'error', 'map', 'set', 'promise', 'arraybuffer', 'typedarray', 'buffer', 'ref',
  'accessor', 'nonEnumerable', 'symbolKey', 'class', 'loneSurrogate',
];

module.exports = { ALL_VALUE_KINDS, ValueError, classNamed, decode, decodeList, encode, encodeList };
