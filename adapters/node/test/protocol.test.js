// The protocol loop: requests checked, answers with the request's seq, stdout kept for protocol lines.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { requestProblem } = require('../kit/protocol');
const { session } = require('./helpers');

const FAKE = path.join(__dirname, 'fixtures', 'noisy-adapter.js');

test('requestProblem checks what is cheap to check', () => {
  assert.equal(requestProblem({ protocol: 1, seq: 0, cmd: 'reset' }), null);
  assert.match(requestProblem({ protocol: 2, seq: 0, cmd: 'reset' }), /protocol 2/);
  assert.match(requestProblem({ protocol: 1, seq: -1, cmd: 'reset' }), /seq/);
  assert.match(requestProblem({ protocol: 1, seq: 0, cmd: 'dance' }), /unknown cmd/);
  assert.match(requestProblem({ protocol: 1, seq: 0, cmd: 'reset', extra: 1 }), /unexpected member/);
  assert.match(requestProblem({ protocol: 1, seq: 0, cmd: 'run' }), /lacks scenario/);
  assert.match(requestProblem({ protocol: 1, seq: 0, cmd: 'run', scenario: {} }), /pages/);
  assert.match(requestProblem([]), /JSON object/);
});

test('a session: answers carry the seq, bad requests get error answers, stdout holds protocol lines only', async () => {
  const { answers, stderr, code } = await session(FAKE, [
    { protocol: 1, seq: 7, cmd: 'hello', suite: { name: 's', version: '1' } },
    'not json',
    { protocol: 1, seq: 8, cmd: 'reset', stray: true },
    { protocol: 1, seq: 9, cmd: 'run', scenario: { pages: [], main: {} } },
    { protocol: 1, seq: 10, cmd: 'close' },
    { protocol: 1, seq: 11, cmd: 'reset' }, // after close: never read
  ]);
  assert.equal(code, 0);
  assert.deepEqual(answers.map((a) => [a.seq, a.ok]), [[7, true], [0, false], [8, false], [9, true], [10, true]]);
  assert.equal(answers[0].result.protocol, 1);
  assert.deepEqual(answers[3].result, { trace: { processes: { main: [] } } });
  assert.match(stderr, /console\.log goes to stderr/);
  assert.match(stderr, /so does process\.stdout\.write/);
});

test('an exception in the adapter becomes an error answer, and the session goes on', async () => {
  const { answers } = await session(FAKE, [
    { protocol: 1, seq: 0, cmd: 'run', scenario: { pages: [{ id: 'boom' }], main: {} } },
    { protocol: 1, seq: 1, cmd: 'reset' },
  ]);
  assert.equal(answers[0].ok, false);
  assert.match(answers[0].error.message, /Error: boom/);
  assert.match(answers[0].error.detail, /noisy-adapter/);
  assert.deepEqual(answers[1], { seq: 1, ok: true, result: {} });
});

test('the reference-js adapter answers the recorded session of the implementer\'s guide', async () => {
  const run = {
    protocol: 1, seq: 2, cmd: 'run', scenario: {
      pages: [{ id: 'page' }],
      main: {
        listeners: [
          { id: 'greet', channel: 'greeting', actions: [] },
          { id: 'answer', channel: 'question', actions: [{ op: 'return', value: { type: 'string', value: 'pong' } }] },
        ],
        script: [],
      },
      renderers: { page: { script: [
        { op: 'send', channel: 'greeting', args: [{ type: 'string', value: 'hello' }] },
        { op: 'sendSync', channel: 'question', args: [{ type: 'string', value: 'ping' }] },
      ] } },
    },
  };
  const { answers, code } = await session(path.join(__dirname, '..', 'bin', 'reference-js.js'), [
    { protocol: 1, seq: 0, cmd: 'hello', suite: { name: 's', version: '1' } },
    { protocol: 1, seq: 1, cmd: 'reset' },
    run,
    { protocol: 1, seq: 3, cmd: 'close' },
  ]);
  assert.equal(code, 0);
  const { main, page } = answers[2].result.trace.processes;
  assert.deepEqual(main.filter((e) => e.type === 'deliver').map((e) => [e.listener, e.sender, e.event.returnValue]),
    [['greet', 'page', 'absent'], ['answer', 'page', 'setter']]);
  const end = page.find((e) => e.type === 'call-end' && e.op === 'sendSync');
  assert.deepEqual(end.value, { type: 'string', value: 'pong' });
  assert.ok(end.t > main.find((e) => e.type === 'return-assigned').t);
});
