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

// Known breakages found by this suite: each must still fail the way it is described (so a new,
// different failure is not hidden behind it); the day one is mended, its test turns red here and
// the entry goes.
const KNOWN_BROKEN: Record<string, { reason: string; error: RegExp }> = {
};

async function fixedCopy(scenario: Scenario): Promise<string> {
  const source = path.join(appsDir, scenario.app);
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), `stateless-fixed-${scenario.app}-`)), scenario.app);
  // The corpus's node_modules come along (the copy only adds what the fixes need); its build output,
  // uploads and our scenario files do not.
  const left = new Set(['dist', '.next', 'uploads', 'scenario.ts', 'expected.json']);
  // verbatimSymlinks: node_modules/.bin links must point into the copy, not back into the corpus.
  cpSync(source, dir, { recursive: true, verbatimSymlinks: true, filter: (file) => !left.has(path.relative(source, file)) });
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

  const runFixed = async (scenario: Scenario) => {
    const dir = await fixedCopy(scenario);
    copies.push(dir);
    return runScenario(scenario, db, { appDir: dir, install: 'install', env: services.env });
  };

  for (const scenario of selectedScenarios) {
    const broken = KNOWN_BROKEN[scenario.app];
    if (broken) {
      it(`${scenario.app}: known broken, ${broken.reason}`, async () => {
        await expect(runFixed(scenario)).rejects.toThrow(broken.error);
      }, 1_200_000);
      continue;
    }
    it(scenario.app, async ({ onTestFailed }) => {
      const result = await runFixed(scenario);
      onTestFailed(() => console.log(`${scenario.app} (fixed) logs:\n${result.logs}`));
      const expected = JSON.parse(readFileSync(path.join(appsDir, scenario.app, 'expected.json'), 'utf8')) as StepReply[];
      const kept = (replies: StepReply[]) => replies.filter((reply) => !scenario.stepsAFixMayChange.includes(reply.step));
      expect(kept(result.replies)).toEqual(kept(expected));
    }, 1_200_000);
  }
});
