// The corpus after `stateless fix`: a copy of each app (never the corpus itself) gets every fix
// with `stateless fix --write`, is installed (`npm install`: the fixes add dependencies), built when
// the app has a build, and started on one instance with Redis and an S3-compatible server. The
// design's promise: a fix never changes what a client sees on one instance, so every reply equals
// expected.json except the steps the scenario names in `stepsAFixMayChange`.
//
// Opt-in (APPS_FIX=1): minutes of installs and `stateless fix` runs. Needs what apps.test.ts needs,
// plus redis-server and the repository's adapters dev dependencies (s3rver); run `tsc -b` first.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSharedServices, type SharedServices } from '../scale-out/after';
import { repoRoot } from '../scale-out/cluster';
import { run } from '../scale-out/processes';
import { appsDir, runScenario, startAppsDatabase, type AppsDatabase, type Scenario, type StepReply } from './harness';
import { selectedScenarios } from './scenarios';

// Known breakages found by this suite (it.fails: the day one is mended, its test turns red here and
// the entry is removed).
const KNOWN_BROKEN: Record<string, string> = {
  'express-callbacks': "a JavaScript app without a build gets `require('../src/scaling/object-store.js')` but only the .ts adapter is written: the app does not start",
  'express-promises': 'rate-limit-redis@^6 is added next to the app\'s express-rate-limit 7.4.1, and its peer range (>= 8.6.0) makes `npm install` fail (ERESOLVE)',
  'fastify-plugins': '`promisify(crypto.scrypt)(password, salt, 32)` resolves to unknown, so `.toString(\'hex\')` fails the app\'s own `tsc` build (TS2571)',
};

async function fixedCopy(scenario: Scenario): Promise<string> {
  const source = path.join(appsDir, scenario.app);
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), `stateless-fixed-${scenario.app}-`)), scenario.app);
  // The corpus's node_modules come along (the copy only adds what the fixes need).
  cpSync(source, dir, { recursive: true, filter: (file) => !/[\\/](?:dist|\.next|uploads|scenario\.ts|expected\.json)$/.test(file) });
  await run(process.execPath, [path.join(repoRoot, 'server/dist/cli/main.js'), 'fix', dir, '--write'], { cwd: repoRoot, timeoutMs: 600_000 });
  return dir;
}

describe.runIf(process.env.APPS_FIX === '1')('legacy apps corpus after `stateless fix`: same replies on one instance', () => {
  let db: AppsDatabase;
  let services: SharedServices;
  const copies: string[] = [];

  beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'server/dist/cli/main.js'))) throw new Error('run `npx tsc -b` first: the CLI is not built');
    db = await startAppsDatabase();
    services = await startSharedServices();
  }, 120_000);

  afterAll(async () => {
    await services?.stop();
    await db?.stop();
    if (!process.env.KEEP_E2E_DIR) for (const dir of copies) rmSync(path.dirname(dir), { recursive: true, force: true });
  }, 60_000);

  for (const scenario of selectedScenarios) {
    const test = KNOWN_BROKEN[scenario.app] ? it.fails : it;
    test(`${scenario.app}${KNOWN_BROKEN[scenario.app] ? ` (known broken: ${KNOWN_BROKEN[scenario.app]})` : ''}`, async ({ onTestFailed }) => {
      const dir = await fixedCopy(scenario);
      copies.push(dir);
      const result = await runScenario(scenario, db, { appDir: dir, install: 'install', env: services.env });
      onTestFailed(() => console.log(`${scenario.app} (fixed) logs:\n${result.logs}`));
      const expected = JSON.parse(readFileSync(path.join(appsDir, scenario.app, 'expected.json'), 'utf8')) as StepReply[];
      const kept = (replies: StepReply[]) => replies.filter((reply) => !scenario.stepsAFixMayChange.includes(reply.step));
      expect(kept(result.replies)).toEqual(kept(expected));
    }, 1_200_000);
  }
});
