// The electron-ipc-mock package (npm, 0.0.3) behind the adapter protocol.
//
// Its API: a factory returning one `{ipcMain, ipcRenderer}` pair, connected by a
// setTimeout(0) pipe.  One renderer per main, so one page per scenario; `sendSync` and
// `sendToHost` exist only as empty stubs ("Not yet implemented", dist/ipc-renderer.js:46-56),
// so sendSync, sendToHost and webview are declared missing, as are destroy (no window or
// web contents) and multiplePages.  Main reaches its renderer only through an event's
// `sender`; `webContents.send` uses a sender built by the package's own Event class
// (dist/event.js), which is what every listener's `event.sender` is.
'use strict';

const { ALL_VALUE_KINDS, defineLocalAdapter } = require('../kit/local');
const { version } = require('electron-ipc-mock/package.json');
const createMock = require('electron-ipc-mock');
const Event = require('electron-ipc-mock/dist/event.js').default;

module.exports = defineLocalAdapter({
  implementation: {
    name: 'electron-ipc-mock', version, language: 'JavaScript',
    homepage: 'https://www.npmjs.com/package/electron-ipc-mock',
  },
  capabilities: ['timers', 'channelValues', 'mutateAfter', 'busy'],
  valueKinds: ALL_VALUE_KINDS,
  createWorld(scenario) {
    if (scenario.pages.length > 1) throw new Error('electron-ipc-mock connects one renderer to each ipcMain');
    const { ipcMain, ipcRenderer } = createMock();
    const pages = {};
    const emitters = [['main', ipcMain._emitter]];
    for (const { id } of scenario.pages) {
      pages[id] = { ipc: ipcRenderer }; // no object stands for the page in main: every event has a fresh sender
      emitters.push([id, ipcRenderer._emitter]);
    }
    return {
      main: {
        ipc: ipcMain,
        webContentsSend: (pageId, positional) => new Event(ipcMain._emitter).sender.send(...positional),
      },
      pages,
      emitters,
    };
  },
});
