// The adapters of the three npm packages (packages/), through the protocol: what each claims,
// and that a scenario reaches the package's own API, whose known behaviour shows in the trace.
// Needs the packages installed (`npm ci` here).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { session, traces } = require('./helpers');

const bin = (name) => path.join(__dirname, '..', 'bin', `${name}.js`);
const text = (value) => ({ type: 'string', value });
const of = (trace, process, type) => trace.processes[process].filter((e) => e.type === type);
const pinned = require('../package.json').dependencies;

async function hello(name) {
  const { answers, code } = await session(bin(name), [
    { protocol: 1, seq: 0, cmd: 'hello', suite: { name: 's', version: '1' } },
    { protocol: 1, seq: 1, cmd: 'close' },
  ]);
  assert.equal(code, 0);
  return answers[0].result;
}

/** A page sends on 'c'; main's listener replies on 'r'; main also sends 'w' to the first page. */
function roundTrip(pageIds) {
  const renderers = {};
  for (const id of pageIds) renderers[id] = { listeners: [{ id: `r-${id}`, channel: 'r' }, { id: `w-${id}`, channel: 'w' }] };
  renderers[pageIds[0]].script = [{ op: 'send', channel: 'c', args: [text('hi'), { type: 'number', value: 1 }] }];
  return {
    pages: pageIds.map((id) => ({ id })),
    main: {
      listeners: [{ id: 'm', channel: 'c', actions: [{ op: 'reply', channel: 'r', args: [text('back')] }] }],
      script: [{ op: 'webContentsSend', page: pageIds[0], channel: 'w', args: [text('to-page')] }],
    },
    renderers,
  };
}

for (const name of Object.keys(pinned)) {
  test(`${name}: hello names the pinned version and declares sendSync, sendToHost and webview missing`, async () => {
    const result = await hello(name);
    assert.deepEqual(result.implementation.name, name);
    assert.equal(result.implementation.version, pinned[name]);
    for (const missing of ['sendSync', 'sendToHost', 'webview']) assert.ok(!result.capabilities.includes(missing), missing);
  });
}

test('electron-ipc-mock: messages cross both ways; a page listener gets the package\'s Event first', async () => {
  const [trace] = await traces(bin('electron-ipc-mock'), [roundTrip(['p1'])]);
  const [delivery] = of(trace, 'main', 'deliver');
  assert.deepEqual(delivery.args, [text('hi'), { type: 'number', value: 1 }]);
  assert.equal(delivery.sender, null); // no object stands for the page in main
  assert.deepEqual(delivery.event, { preventDefault: false, returnValue: 'absent' });
  const pageDeliveries = of(trace, 'p1', 'deliver');
  assert.deepEqual(pageDeliveries.map((e) => e.listener).sort(), ['r-p1', 'w-p1']);
  for (const e of pageDeliveries) assert.equal(e.args[0].class, 'Event'); // dist/ipc-renderer.js:62-68
  assert.deepEqual(pageDeliveries.find((e) => e.listener === 'w-p1').args[1], text('to-page'));
});

test('electron-ipc-mock: a scenario with two pages is refused (one renderer per ipcMain)', async () => {
  const { answers } = await session(bin('electron-ipc-mock'), [
    { protocol: 1, seq: 0, cmd: 'run', scenario: roundTrip(['p1', 'p2']) },
  ]);
  assert.equal(answers[0].ok, false);
  assert.match(answers[0].error.message, /one renderer/);
});

test('electron-mock-ipc: one shared sender, so a reply reaches every page', async () => {
  const [trace] = await traces(bin('electron-mock-ipc'), [roundTrip(['p1', 'p2'])]);
  const [delivery] = of(trace, 'main', 'deliver');
  assert.equal(delivery.sender, null); // the same event.sender for both pages: it names neither
  for (const page of ['p1', 'p2']) {
    const replies = of(trace, page, 'deliver').filter((e) => e.listener === `r-${page}`);
    assert.equal(replies.length, 1, `${page} gets the reply`); // lib/src/index.js:37-46
    assert.equal(replies[0].args[0].class, 'MockedEvent');
  }
});

test('electron-mocks: calls are recorded by sinon stubs and deliver nothing; destroy closes the web contents', async () => {
  const scenario = roundTrip(['p1', 'p2']);
  scenario.main.script.push({ op: 'destroy', page: 'p2' }, { op: 'webContentsSend', page: 'p2', channel: 'w' });
  const [trace] = await traces(bin('electron-mocks'), [scenario]);
  assert.deepEqual(of(trace, 'main', 'deliver'), []);
  assert.deepEqual(of(trace, 'p1', 'deliver'), []);
  assert.deepEqual(of(trace, 'p1', 'call-end').map((e) => e.value), [{ type: 'undefined' }]);
  assert.deepEqual(of(trace, 'main', 'destroyed').map((e) => e.page), ['p2']);
  assert.deepEqual(of(trace, 'main', 'call-end').map((e) => e.value), [{ type: 'undefined' }, { type: 'undefined' }]);
});
