// The v0.32 argument conversion of the JavaScript implementation, clause by clause (SEMANTICS.md section 3).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { compareUtf8, fromWire, toWire } = require('../impl/convert');

/** What the receiver gets for arguments `args` of one message. */
const arrive = (...args) => toWire(args).map(fromWire);

test('SER-0: JSON-like trees arrive equal, as fresh copies', () => {
  const sent = { a: [1, 'x', null, true, { b: 2.5 }] };
  const [got] = arrive(sent);
  assert.deepEqual(got, sent);
  assert.notEqual(got, sent);
  assert.notEqual(got.a, sent.a);
});

test('SER-2: top-level undefined, functions and Symbols arrive as null; the count is kept', () => {
  assert.deepEqual(arrive(undefined, () => {}, Symbol('s'), 1), [null, null, null, 1]);
});

test('SER-3, SER-4: numbers bit-exact, strings exact', () => {
  const [nan, inf, negInf, negZero] = arrive(NaN, Infinity, -Infinity, -0);
  assert.ok(Number.isNaN(nan) && inf === Infinity && negInf === -Infinity && Object.is(negZero, -0));
  assert.deepEqual(arrive('a\0b', 'x\ud800'), ['a\0b', 'x\ud800']);
});

test('SER-5: holes removed, unconvertible elements null, other properties dropped', () => {
  const array = [1, , 3, undefined, () => {}]; // eslint-disable-line no-sparse-arrays
  array.extra = true;
  assert.deepEqual(arrive(array), [[1, 3, null, null]]);
});

test('SER-6: own enumerable data properties only; getters are not called', () => {
  class Point { constructor() { this.x = 1; } }
  const object = new Point();
  let called = false;
  Object.defineProperty(object, 'g', { get() { called = true; return 2; }, enumerable: true });
  Object.defineProperty(object, 'hidden', { value: 3, enumerable: false });
  object[Symbol('k')] = 4;
  object.u = undefined;
  object.f = () => {};
  const [got] = arrive(object);
  assert.deepEqual(got, { x: 1 });
  assert.equal(Object.getPrototypeOf(got), Object.prototype);
  assert.equal(called, false);
});

test('SER-7: keys arrive in byte order after the indices', () => {
  const [got] = arrive({ b: 1, '\u00e9': 2, '\u{1f600}': 3, '\uffff': 4, B: 5, 10: 6, 2: 7, a: 8 });
  assert.deepEqual(Object.keys(got), ['2', '10', 'B', 'a', 'b', '\u00e9', '\uffff', '\u{1f600}']);
  assert.ok(compareUtf8('\uffff', '\u{1f600}') < 0); // UTF-16 order would say the opposite
});

test('SER-8, SER-9: built-in objects arrive as {}, typed arrays keyed by index, binary as null', () => {
  const got = arrive(new Date(0), /a/g, new Error('e'), new Map([[1, 2]]), new Set([1]), Promise.resolve(), new ArrayBuffer(2),
    new Int16Array([5, -1]), Buffer.from('hi'), new Uint8Array(2), { b: Buffer.from('x') }, [new Uint8Array(1)]);
  assert.deepEqual(got, [{}, {}, {}, {}, {}, {}, {}, { 0: 5, 1: -1 }, null, null, { b: null }, [null]]);
});

test('SER-10: what is met again arrives as null, across arguments too', () => {
  const shared = { n: 1 };
  assert.deepEqual(arrive(shared, shared, [shared]), [{ n: 1 }, null, [null]]);
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  assert.deepEqual(arrive(cyclic), [{ a: 1, self: null }]);
});

test('SER-11: values 99 levels down are dropped', () => {
  let deep = ['kept at 98', ['dropped at 99'], { k: 'dropped at 99' }];
  for (let level = 0; level < 97; level++) deep = level % 2 ? [deep] : { k: deep };
  let got = arrive(deep)[0];
  for (let level = 0; level < 97; level++) got = Array.isArray(got) ? got[0] : got.k;
  assert.deepEqual(got, ['kept at 98', [null], {}]); // the inner array and object sit at 98, their leaves at 99
});

test('SER-12: an own "__proto__" key does not arrive as an own property', () => {
  const sent = {};
  Object.defineProperty(sent, '__proto__', { value: { inherited: true }, enumerable: true });
  sent.a = 1;
  const [got] = arrive(sent);
  assert.deepEqual(Object.keys(got), ['a']);
  assert.ok(!Object.hasOwn(got, '__proto__'));
});

test('CH-5, HOST-3: the channel converts with the arguments, one met set', () => {
  const o = { k: 1 };
  assert.deepEqual(toWire([o, o]).map(fromWire), [{ k: 1 }, null]);
  assert.deepEqual(toWire([undefined]).map(fromWire), [null]);
});
