// One page's part of a scenario, loaded into a renderer of the JavaScript implementation
// (`webContents.load(this file, {part, gen})`): installs the page's listeners and host
// listeners, says `ready`, runs its script on `go`, answers `barrier`s in order.  Every
// trace event is posted to main the moment it is recorded, so a page blocked for ever
// in sendSync still leaves its trace.
'use strict';

const { ProcessPart, pageOps } = require('../kit/interpreter');

module.exports = function pageProgram(page, { part, gen }) {
  const post = (value) => page.post({ gen, ...value });
  const processPart = new ProcessPart({
    name: String(page.id),
    main: false,
    ipc: page.ipc,
    setTimeout: (fn, ms) => page.setTimeout(fn, ms),
    clearTimeout: (handle) => page.clearTimeout(handle),
    ops: pageOps(page.ipc, (name) => page.webview(name)),
  }, (event) => post({ event }));
  page.onUncaughtException((error) => processPart.recordException(error));
  page.onMessage((message) => {
    if (message.gen !== gen) return;
    if (message.go) processPart.runScript(part.script ?? []);
    else if ('barrier' in message) post({ barrier: message.barrier, pendingTimers: processPart.pendingTimers });
  });
  for (const listener of part.listeners ?? []) processPart.install(listener);
  for (const listener of part.hostListeners ?? []) processPart.installHostListener(listener, page.webview(listener.element));
  post({ ready: true });
};
