#!/usr/bin/env node
// The conformance suite's adapter for the npm package electron-ipc-mock: node adapters/node/bin/electron-ipc-mock.js
'use strict';
require('../kit/protocol').serve(require('../packages/electron-ipc-mock'));
