// The electron-mock-ipc package (npm, 0.3.14) behind the adapter protocol.
//
// Its API: `createIPCMock()` returns an `{ipcMain, ipcRenderer}` pair, and the exported
// `pipe(ipcMain, ipcRenderer)` connects one more renderer to the same ipcMain, which is
// how a scenario gets several pages with one main.  Messages cross in setTimeout(1)
// callbacks.  Main has no handle per page: `ipcMain.send` (and the one shared
// `event.sender`) reaches every renderer, so it stands for webContents.send; a
// delivery's sender is a page only when exactly one page exists.  `sendSync`,
// `sendToHost` and `sendTo` only console.log their arguments (lib/src/ipc-renderer.js:99-119):
// sendSync, sendToHost and webview are declared missing, as is destroy (no web contents).
'use strict';

const { ALL_VALUE_KINDS, defineLocalAdapter } = require('../kit/local');
const { version } = require('electron-mock-ipc/package.json');
const { default: createIPCMock, pipe, ipcRenderer: IpcRenderer } = require('electron-mock-ipc');

module.exports = defineLocalAdapter({
  implementation: {
    name: 'electron-mock-ipc', version, language: 'JavaScript',
    homepage: 'https://www.npmjs.com/package/electron-mock-ipc',
  },
  capabilities: ['multiplePages', 'timers', 'channelValues', 'mutateAfter', 'busy'],
  valueKinds: ALL_VALUE_KINDS,
  createWorld(scenario) {
    const { ipcMain, ipcRenderer } = createIPCMock();
    const pages = {};
    const emitters = [['main', ipcMain.emitter]];
    scenario.pages.forEach(({ id }, i) => {
      let renderer = ipcRenderer;
      if (i > 0) {
        renderer = new IpcRenderer();
        pipe(ipcMain, renderer);
      }
      // The object main's events carry as `sender` for every renderer: the only web contents there is.
      pages[id] = { ipc: renderer, webContents: ipcMain._event.sender };
      emitters.push([id, renderer.emitter]);
    });
    return {
      main: { ipc: ipcMain, webContentsSend: (pageId, positional) => ipcMain.send(...positional) },
      pages,
      emitters,
    };
  },
});
