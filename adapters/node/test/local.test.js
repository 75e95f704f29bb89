// The in-thread runner (kit/local.js) and the interpreter, on a tiny mock written here.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { session, traces } = require('./helpers');

const TINY = path.join(__dirname, 'fixtures', 'tiny-adapter.js');
const run = async (scenario) => (await traces(TINY, [scenario]))[0];

const num = (value) => ({ type: 'number', value });
const of = (trace, process, type) => trace.processes[process].filter((e) => e.type === type);

test('hello claims what the definition says', async () => {
  const { answers } = await session(TINY, [{ protocol: 1, seq: 0, cmd: 'hello', suite: { name: 's', version: '1' } }]);
  const hello = answers[0].result;
  assert.equal(hello.implementation.name, 'tiny');
  assert.equal(hello.edition, 'v0.32');
  assert.deepEqual(hello.capabilities, ['multiplePages', 'timers', 'busy', 'mutateAfter', 'channelValues']);
});

test('a round trip: listeners first, scripts concurrently, replies, timers, marks', async () => {
  const trace = await run({
    pages: [{ id: 'p1' }, { id: 'p2' }],
    main: {
      listeners: [{ id: 'm1', channel: 'c', actions: [{ op: 'reply', channel: 'r', echo: true }] }],
      script: [{ op: 'wait', ms: 5 }, { op: 'webContentsSend', page: 'p2', channel: 'r', args: [num(9)] }],
    },
    renderers: {
      p1: { listeners: [{ id: 'l1', channel: 'r' }], script: [{ op: 'send', channel: 'c', args: [num(1), { type: 'undefined' }] }, { op: 'setTimeout', ms: 40, label: 't' }, { op: 'mark', label: 'end' }] },
      p2: { listeners: [{ id: 'l2', channel: 'r' }] },
    },
  });
  const [delivery] = of(trace, 'main', 'deliver');
  assert.equal(delivery.sender, 'p1');
  assert.deepEqual(delivery.args, [num(1), { type: 'undefined' }]);
  assert.deepEqual(delivery.event, { preventDefault: true, returnValue: 'absent' });
  assert.deepEqual(of(trace, 'p1', 'deliver').map((e) => e.args), [[num(1), { type: 'undefined' }]]);
  assert.deepEqual(of(trace, 'p2', 'deliver').map((e) => e.args), [[num(9)]]);
  assert.deepEqual(of(trace, 'p1', 'timer').map((e) => e.label), ['t']);
  assert.deepEqual(trace.processes.p1.map((e) => e.type).slice(0, 4), ['call-start', 'call-end', 'mark', 'script-end']);
  for (const process of ['main', 'p1', 'p2']) assert.equal(of(trace, process, 'script-end').length, 1);
});

test('exceptions: a listener\'s throw is uncaught in its own process, with its origin; a script goes on', async () => {
  const trace = await run({
    pages: [{ id: 'p1' }],
    main: { listeners: [{ id: 'm1', channel: 'c', actions: [{ op: 'throw', message: 'm1 fails' }] }, { id: 'm2', channel: 'c' }] },
    renderers: { p1: { script: [{ op: 'send', channel: 'c' }, { op: 'throw', message: 'script fails' }, { op: 'mark', label: 'after' }] } },
  });
  assert.deepEqual(of(trace, 'main', 'deliver').map((e) => e.listener), ['m1']);
  assert.deepEqual(of(trace, 'main', 'exception'), [{ ...of(trace, 'main', 'exception')[0], error: { name: 'Error', message: 'm1 fails' }, origin: { listener: 'm1', call: 0, index: 0 } }]);
  const [pageException] = of(trace, 'p1', 'exception');
  assert.deepEqual(pageException.origin, { index: 1 });
  assert.equal(of(trace, 'p1', 'mark').length, 1);
});

test('an exception of a page\'s emitter itself is that page\'s (CH-6 in a page)', async () => {
  const trace = await run({
    pages: [{ id: 'p1' }],
    main: { script: [{ op: 'webContentsSend', page: 'p1', channel: 'error', args: [{ type: 'string', value: 'y' }] }] },
  });
  assert.equal(of(trace, 'p1', 'exception').length, 1);
  assert.equal(of(trace, 'main', 'exception').length, 0);
});

test('mutateAfter changes the sent objects once the call returned; once and removeListener', async () => {
  const trace = await run({
    pages: [{ id: 'p1' }],
    main: { listeners: [{ id: 'm1', channel: 'c', once: true }, { id: 'm2', channel: 'c', actions: [{ op: 'removeListener', id: 'm2' }] }] },
    renderers: { p1: { script: [
      { op: 'send', channel: 'c', args: [{ type: 'array', items: [num(1)] }], mutateAfter: true },
      { op: 'send', channel: 'c' },
    ] } },
  });
  const deliveries = of(trace, 'main', 'deliver');
  assert.deepEqual(deliveries.map((e) => e.listener), ['m1', 'm2']);
  assert.deepEqual(deliveries[0].args, [{ type: 'array', items: [num(1), { type: 'string', value: '__changed_after_send__' }] }]);
});

test('busy keeps the whole thread busy', async () => {
  const started = Date.now();
  const trace = await run({ pages: [], main: { script: [{ op: 'busy', ms: 50 }] } });
  assert.ok(Date.now() - started >= 50);
  assert.deepEqual(of(trace, 'main', 'busy-end').map((e) => e.origin), [{ index: 0 }]);
});
