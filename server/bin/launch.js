'use strict';
// The package's bins are these small files rather than dist/ itself: they exist before the build,
// so npm links them at install time (in this monorepo's workspaces too), and a problem that stops
// the program before it starts (no build yet, a TypeScript without a compiler API) prints one line.
const path = require('node:path');

/** Loads `dist/<entry>` and runs `start` on it; exits 2 with a one-line reason when it cannot load. */
module.exports = function launch(name, entry, start) {
  let loaded;
  try {
    loaded = require(path.join(__dirname, '..', 'dist', entry));
  } catch (error) {
    const missingBuild = error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(path.join('dist', entry));
    const reason = missingBuild
      ? `${path.join(__dirname, '..', 'dist', entry)} is missing: build the package first (npm run build)`
      : error && error.name === 'UnsupportedTypeScriptError' ? error.message : undefined;
    if (reason === undefined) throw error;
    process.stderr.write(`${name}: ${reason}\n`);
    process.exit(2);
  }
  start(loaded);
};
