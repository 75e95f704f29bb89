#!/usr/bin/env node
// The conformance suite's adapter for the JavaScript implementation in impl/: node adapters/node/bin/reference-js.js
'use strict';
const { ReferenceJsAdapter } = require('../reference-js/adapter');
require('../kit/protocol').serve(new ReferenceJsAdapter());
