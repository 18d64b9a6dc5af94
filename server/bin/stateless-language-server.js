#!/usr/bin/env node
'use strict';
// dist/bin.js starts the server as it loads.
require('./launch')('stateless-language-server', 'bin.js', () => {});
