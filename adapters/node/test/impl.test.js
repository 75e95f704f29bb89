// The JavaScript implementation: pages in worker threads, a blocking sendSync, host routing.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { Main } = require('../impl');

const PAGE = path.join(__dirname, 'fixtures', 'page.js');
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Returns the values `contents` posts, as they come, and a function waiting for the n-th one. */
function posts(contents) {
  const values = [];
  contents.on('console-message', (value) => values.push(value));
  const nth = async (n, timeoutMs = 5000) => {
    for (const start = Date.now(); values.length < n; await sleep(2)) {
      if (Date.now() - start > timeoutMs) throw new Error(`only ${values.length} posts: ${JSON.stringify(values)}`);
    }
    return values[n - 1];
  };
  return { values, nth };
}

test('the implementation', async (t) => {
  const main = new Main();
  t.after(() => main.close());

  await t.test('sendSync blocks the page, timers included, and returns the JSON of returnValue (BLK-1, RET-2, RET-5)', async () => {
    main.ipc.once('ask', (event, arg) => {
      assert.equal(event.returnValue, undefined); // a setter only (RET-4)
      assert.ok(Number.isNaN(arg.n));
      assert.deepEqual(arg.d, {});
      setTimeout(() => { event.returnValue = { n: NaN, d: new Date(0) }; }, 100);
    });
    const page = main.createWindow();
    const { nth } = posts(page);
    page.load(PAGE, { do: 'blockingSendSync' });
    assert.deepEqual(await nth(1), { answer: { n: null, d: '1970-01-01T00:00:00.000Z' }, firedBeforeReturn: false });
  });

  await t.test('with no answer the page stays blocked; assigning undefined throws in main (RET-3, RET-7)', async () => {
    let thrown = null;
    main.ipc.once('nobody', (event) => {
      try {
        event.returnValue = undefined;
      } catch (error) {
        thrown = error;
      }
    });
    const page = main.createWindow();
    const { values, nth } = posts(page);
    page.load(PAGE, { do: 'unanswered' });
    assert.equal(await nth(1), 'before');
    for (const start = Date.now(); thrown === null && Date.now() - start < 5000;) await sleep(2);
    assert.ok(thrown instanceof TypeError);
    await sleep(150);
    assert.deepEqual(values, ['before']);
    page.destroy();
    assert.equal(page.send('late'), false); // M2R-6
    assert.throws(() => page.send(5), TypeError); // M2R-7
  });

  await t.test('sendToHost reaches the embedder\'s element; <webview>.send reaches the guest (HOST-1, HOST-3, HOST-5, HOST-6)', async () => {
    const embedder = main.createWindow();
    const fromEmbedder = posts(embedder);
    embedder.load(PAGE, { do: 'embedder', element: 'w' });
    assert.equal(await fromEmbedder.nth(1), 'ready');
    embedder.postMessage('send');
    assert.deepEqual(await fromEmbedder.nth(2), { threw: 'TypeError' }); // no guest yet
    const guest = main.createGuest(embedder, 'w');
    const fromGuest = posts(guest);
    guest.load(PAGE, { do: 'guest' });
    assert.equal(await fromGuest.nth(1), 'ready');
    embedder.postMessage('send');
    assert.equal(await fromEmbedder.nth(3), 'webview.send returned');
    assert.deepEqual(await fromGuest.nth(2), { guestGot: { x: 1 } });
    guest.load(PAGE, { do: 'sendToHost', message: [5, { b: 1, a: [1, , 2] }] }); // eslint-disable-line no-sparse-arrays
    assert.deepEqual(await fromEmbedder.nth(4), { channel: 5, args: [{ a: [1, 2], b: 1 }] });
    guest.load(PAGE, { do: 'sendToHost', message: [] });
    assert.deepEqual(await fromEmbedder.nth(5), { channel: null, args: [] });
    let reachedMain = false;
    main.ipc.on('c', () => { reachedMain = true; });
    const alone = main.createWindow();
    const fromAlone = posts(alone);
    alone.load(PAGE, { do: 'sendToHost', message: ['c', 1] }); // not a guest: dropped (HOST-4)
    assert.equal(await fromAlone.nth(1), 'sent');
    await sleep(50);
    assert.equal(reachedMain, false);
    main.ipc.removeAllListeners('c');
  });

  await t.test('page listeners get the arguments only; their exceptions stay in the page (M2R-2, ERR-2)', async () => {
    const page = main.createWindow();
    const { nth } = posts(page);
    page.load(PAGE, { do: 'listener' });
    assert.equal(await nth(1), 'ready');
    assert.equal(page.send('boom'), true);
    assert.equal(page.send('c', 1, [2]), true);
    assert.deepEqual(await nth(2), { uncaught: 'page listener fails' });
    assert.deepEqual(await nth(3), { args: [1, [2]] });
  });

  await t.test('channels are converted, then used as emitter keys (CH-5, DEP-1)', async () => {
    const seen = [];
    for (const key of ['undefined', 'null', '7', 'alias']) main.ipc.on(key, (event, ...args) => seen.push([key, args, event.sender === page]));
    const page = main.createWindow();
    page.load(PAGE, { do: 'sendChannels' });
    for (const start = Date.now(); seen.length < 4 && Date.now() - start < 5000;) await sleep(2);
    assert.deepEqual(seen, [['undefined', [], true], ['null', [1], true], ['7', ['x'], true], ['alias', [], true]]);
  });
});
