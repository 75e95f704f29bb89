#!/usr/bin/env node
// The conformance suite's adapter for the npm package electron-mock-ipc: node adapters/node/bin/electron-mock-ipc.js
'use strict';
require('../kit/protocol').serve(require('../packages/electron-mock-ipc'));
