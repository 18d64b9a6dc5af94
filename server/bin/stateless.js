#!/usr/bin/env node
'use strict';
require('./launch')('stateless', 'cli/main.js', (cli) => {
  process.exitCode = cli.main(process.argv.slice(2));
});
