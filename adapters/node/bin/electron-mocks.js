#!/usr/bin/env node
// The conformance suite's adapter for the npm package electron-mocks: node adapters/node/bin/electron-mocks.js
'use strict';
require('../kit/protocol').serve(require('../packages/electron-mocks'));
