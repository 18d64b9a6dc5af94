// Bundles the extension and the language server into dist/, so the .vsix carries no node_modules:
//   dist/extension.js   the VS Code client (`vscode` stays external: the editor provides it)
//   dist/server.js      the language server with core and TypeScript inside, forked over node IPC
//   dist/lib.*.d.ts     TypeScript's default libraries, which TypeScript looks up beside the file
//                       that runs it (`ts.getDefaultLibFilePath`), here dist/server.js
// `--production` minifies and drops source maps (`vscode:prepublish`, used by `vsce package`);
// `--outdir <dir>` writes elsewhere than dist/ (the real-editor test bundles into a scratch copy).
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const outdirIndex = process.argv.indexOf('--outdir');
const dist = outdirIndex === -1 ? path.join(here, 'dist') : path.resolve(process.argv[outdirIndex + 1]);
const require = createRequire(import.meta.url);

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  metafile: true,
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const results = await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(here, 'src/extension.ts')], outfile: path.join(dist, 'extension.js'), external: ['vscode'] }),
  // TypeScript tries `require('source-map-support')` in a try/catch when debugging: optional, not shipped.
  esbuild.build({ ...common, entryPoints: [path.join(here, '../server/src/bin.ts')], outfile: path.join(dist, 'server.js'), external: ['source-map-support'] }),
]);

const typescriptLib = path.dirname(require.resolve('typescript/lib/typescript.js'));
const libFiles = readdirSync(typescriptLib).filter((name) => /^lib\..*\.d\.ts$/.test(name));
for (const name of libFiles) copyFileSync(path.join(typescriptLib, name), path.join(dist, name));

const megabytes = (file) => (statSync(path.join(dist, file)).size / 1024 / 1024).toFixed(1);
const inputs = results.reduce((count, result) => count + Object.keys(result.metafile.inputs).length, 0);
console.log(
  `esbuild (${production ? 'production' : 'development'}) into ${path.relative(process.cwd(), dist) || '.'}: extension.js ${megabytes('extension.js')} MB, ` +
    `server.js ${megabytes('server.js')} MB from ${inputs} inputs, ${libFiles.length} TypeScript lib files`,
);
