// The electron-mocks package (npm, 1.8.2) behind the adapter protocol.
//
// Its main entry requires `electron`, so its IPC classes load through their own files
// under dist/cjs: MockIpcMain (an EventEmitter), MockIpcRenderer (an EventEmitter whose
// send, sendSync, sendToHost ... are sinon stubs) and MockWebContents (whose send is a
// sinon spy, and close() destroys it).  Nothing connects a renderer to main: the package
// offers test doubles to assert calls on, not a transport.  sendSync and sendToHost are
// stubs that send nothing (dist/cjs/MockIpcRenderer.js:14-16), so they are declared missing
// with webview; `send` cannot be declared missing, and is exercised as it is.
'use strict';

const { ALL_VALUE_KINDS, defineLocalAdapter } = require('../kit/local');
const { version } = require('electron-mocks/package.json');
const { MockIpcMain } = require('electron-mocks/dist/cjs/MockIpcMain.js');
const { MockIpcRenderer } = require('electron-mocks/dist/cjs/MockIpcRenderer.js');
const { MockWebContents } = require('electron-mocks/dist/cjs/MockWebContents.js');

module.exports = defineLocalAdapter({
  implementation: {
    name: 'electron-mocks', version, language: 'JavaScript',
    homepage: 'https://www.npmjs.com/package/electron-mocks',
  },
  capabilities: ['multiplePages', 'destroy', 'timers', 'channelValues', 'mutateAfter', 'busy'],
  valueKinds: ALL_VALUE_KINDS,
  createWorld(scenario) {
    const ipcMain = new MockIpcMain();
    const pages = {};
    const emitters = [['main', ipcMain]];
    for (const { id } of scenario.pages) {
      pages[id] = { ipc: new MockIpcRenderer(), webContents: new MockWebContents() };
      emitters.push([id, pages[id].ipc]);
    }
    return {
      main: {
        ipc: ipcMain,
        webContentsSend: (pageId, positional) => pages[pageId].webContents.send(...positional),
        destroy: (pageId) => pages[pageId].webContents.close(),
      },
      pages,
      emitters,
    };
  },
});
