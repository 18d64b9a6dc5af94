// One timed ESLint run in its own process (see lintInChild in eslint-phase.mjs): prints `{ ms, summary }`.
import { createRequire } from 'node:module';
import path from 'node:path';
import { lintInThisProcess } from './eslint-phase.mjs';

const [repoRoot, corpusDir, name, ignores] = process.argv.slice(2);
const require = createRequire(path.join(repoRoot, 'package.json'));
const result = await lintInThisProcess(require, repoRoot, corpusDir, name, JSON.parse(ignores));
process.stdout.write(`${JSON.stringify(result)}\n`);
