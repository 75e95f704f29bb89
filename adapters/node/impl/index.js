// A conformant JavaScript implementation of Electron v0.32.0's renderer IPC (SEMANTICS.md):
// `new Main()` is the main process; `main.createWindow()` starts a page in a worker thread.
//
//   const { Main } = require('./impl');
//   const main = new Main();
//   main.ipc.on('synchronous-message', (event, arg) => { event.returnValue = 'pong'; });
//   main.createWindow().load('/abs/path/page.js');   // page.js: module.exports = (page) => page.ipc.sendSync(...)
'use strict';

const { IpcEvent, IpcMain, Main, WebContents } = require('./main');
const { fromWire, toWire } = require('./convert');

module.exports = { IpcEvent, IpcMain, Main, WebContents, fromWire, toWire };
