// The value codec: documents decode into real JavaScript values, and values encode back canonically.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { ValueError, decode, decodeList, encode, encodeList } = require('../kit/values');

const num = (value) => ({ type: 'number', value });
const str = (value) => ({ type: 'string', value });

test('special numbers decode bit-exact and encode as strings', () => {
  const values = decodeList(['NaN', 'Infinity', '-Infinity', '-0', 1.5].map(num));
  assert.ok(Number.isNaN(values[0]));
  assert.equal(values[1], Infinity);
  assert.equal(values[2], -Infinity);
  assert.ok(Object.is(values[3], -0));
  assert.deepEqual(encodeList(values).map((d) => d.value), ['NaN', 'Infinity', '-Infinity', '-0', 1.5]);
  assert.deepEqual(encode(0), num(0));
});

test('strings: lone surrogates travel as utf16, and only they', () => {
  const lone = decode({ type: 'string', utf16: [97, 0xd800, 98] });
  assert.equal(lone, 'a\ud800b');
  assert.deepEqual(encode(lone), { type: 'string', utf16: [97, 0xd800, 98] });
  assert.deepEqual(encode('h\u00e9\u{1f600}\0'), str('h\u00e9\u{1f600}\0'));
});

test('holes stay holes, and array properties are own', () => {
  const doc = {
    type: 'array',
    items: [num(1), { type: 'hole' }, num(3)],
    properties: [{ key: 'foo', value: { type: 'boolean', value: true } }, { key: '__proto__', value: num(7) }],
  };
  const array = decode(doc);
  assert.equal(array.length, 3);
  assert.ok(!(1 in array));
  assert.equal(Object.getPrototypeOf(array), Array.prototype);
  assert.ok(Object.hasOwn(array, '__proto__'));
  assert.deepEqual(encode(array), doc);
});

test('getters, non-enumerable, Symbol keys and own __proto__ are defined as described', () => {
  const doc = {
    type: 'object',
    properties: [
      { key: '__proto__', value: num(1) },
      { key: 'g', get: num(2) },
      { key: 'hidden', value: num(3), enumerable: false },
      { symbol: { type: 'symbol', description: 'k' }, value: num(4) },
    ],
  };
  const object = decode(doc);
  assert.equal(Object.getPrototypeOf(object), Object.prototype);
  assert.deepEqual(Object.keys(object), ['__proto__', 'g']);
  assert.equal(typeof Object.getOwnPropertyDescriptor(object, 'g').get, 'function');
  assert.equal(Object.getOwnPropertyDescriptor(object, 'hidden').enumerable, false);
  const [symbol] = Object.getOwnPropertySymbols(object);
  assert.equal(symbol.description, 'k');
  assert.deepEqual(encode(object), doc);
});

test('class instances share one class per name; no constructor runs', () => {
  const [a, b] = decodeList([
    { type: 'object', class: 'Point', properties: [{ key: 'x', value: num(1) }] },
    { type: 'object', class: 'Point', properties: [] },
  ]);
  assert.equal(a.constructor.name, 'Point');
  assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(b));
  assert.equal(encode(a).class, 'Point');
});

test('shared references and cycles: one id space per list, ids only on what is met again', () => {
  const docs = [
    { type: 'object', id: 1, properties: [{ key: 'self', value: { type: 'ref', id: 1 } }] },
    { type: 'ref', id: 1 },
    { type: 'array', items: [{ type: 'symbol', id: 2, description: 's' }, { type: 'ref', id: 2 }] },
  ];
  const [o, again, array] = decodeList(docs);
  assert.equal(o.self, o);
  assert.equal(again, o);
  assert.equal(array[0], array[1]);
  assert.deepEqual(encodeList([o, again, array]), docs);
  assert.deepEqual(encodeList([{ a: 1 }, { a: 1 }]).map((d) => d.id), [undefined, undefined]);
});

test('built-in objects decode to the real thing and encode back', () => {
  const docs = [
    { type: 'date', time: 0 },
    { type: 'date', time: 'NaN' },
    { type: 'regexp', source: 'a+', flags: 'gi' },
    { type: 'error', name: 'TypeError', message: 'bad' },
    { type: 'error', name: 'MyError', message: 'mine' },
    { type: 'map', entries: [[num(1), str('one')]] },
    { type: 'set', values: [num(1), num(2)] },
    { type: 'promise' },
    { type: 'arraybuffer', base64: 'AQID' },
    { type: 'buffer', base64: 'aGk=' },
    { type: 'typedarray', kind: 'Float32Array', values: [0.5, 'NaN', '-0'] },
    { type: 'function', name: 'f' },
  ];
  const values = decodeList(docs);
  assert.ok(values[0] instanceof Date);
  assert.ok(values[3] instanceof TypeError);
  assert.equal(values[4].name, 'MyError');
  assert.ok(values[7] instanceof Promise);
  assert.equal(values[8].byteLength, 3);
  assert.ok(Buffer.isBuffer(values[9]));
  assert.equal(values[11].name, 'f');
  assert.deepEqual(encodeList(values), docs);
});

test('objects from elsewhere encode without inventing classes', () => {
  const withProto = { own: 1 };
  Object.setPrototypeOf(withProto, { inherited: true }); // a prototype no class owns
  assert.deepEqual(encode(withProto), { type: 'object', properties: [{ key: 'own', value: num(1) }] });
  assert.deepEqual(encode(Object.create(null)), { type: 'object', properties: [] });
  class Event { constructor() { this.sender = null; } }
  assert.deepEqual(encode(new Event()), { type: 'object', class: 'Event', properties: [{ key: 'sender', value: { type: 'null' } }] });
  const throwing = Object.defineProperty({}, 'g', { get() { throw new Error('no'); }, enumerable: true });
  assert.deepEqual(encode(throwing).properties, [{ key: 'g', get: { type: 'undefined' } }]);
});

test('keys encode in JavaScript order: indices first', () => {
  assert.deepEqual(encode({ b: 1, 2: 2, a: 3, 1: 4 }).properties.map((p) => p.key), ['1', '2', 'b', 'a']);
});

test('deep values: 300 levels both ways', () => {
  let doc = num(1);
  for (let i = 0; i < 300; i++) doc = { type: 'array', items: [doc] };
  assert.deepEqual(encode(decode(doc)), doc);
});

test('bad documents raise ValueError naming the place', () => {
  assert.throws(() => decode({ type: 'nope' }), ValueError);
  assert.throws(() => decodeList([{ type: 'ref', id: 3 }]), /ref to id 3/);
  assert.throws(() => decode({ type: 'number', value: 'NaNa' }), /\/0\/value/);
  assert.throws(() => decode({ type: 'regexp', source: '', flags: 'uv' }), /no JavaScript RegExp/);
});
