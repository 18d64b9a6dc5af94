// A copy of a corpus app migrated by `stateless fix --write` (the corpus itself is never written),
// what the CLI printed, what a second `stateless fix` on the result plans, and which source files
// the fix changed or created.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../scale-out/cluster';
import { run } from '../scale-out/processes';
import { appsDir, type Scenario } from './harness';

export const cli = path.join(repoRoot, 'server/dist/cli/main.js');

/** Never copied into the fixed copy: build output (the copy is built from its own sources), uploads, our scenario files. */
const LEFT_OUT = ['dist', '.next', 'uploads', 'scenario.ts', 'expected.json'];
const NOT_SOURCES = ['node_modules', ...LEFT_OUT];
const SOURCE = /\.(?:[cm]?[jt]sx?)$/;

export interface FixedCopy {
  dir: string;
  /** What `stateless fix --write` printed (each fix, each refusal, the summary). */
  fixOutput: string;
  /** What a second `stateless fix` (dry run) on the fixed copy printed. */
  secondFixOutput: string;
  /** Source files (relative) the fix changed, and those it created. */
  changed: string[];
  created: string[];
  /** Milliseconds: copy, fix, second fix. */
  timings: Record<string, number>;
}

/** `N fixed, M refused (…)`: the CLI's last line. */
export function summaryLine(output: string): { fixed: number; refused: number; line: string } {
  const line = output.split('\n').filter((text) => /^\d+ fixed, \d+ refused/.test(text)).pop();
  if (!line) throw new Error(`no "N fixed, M refused" line in the output of stateless fix:\n${output}`);
  const [, fixed, refused] = /^(\d+) fixed, (\d+) refused/.exec(line)!;
  return { fixed: Number(fixed), refused: Number(refused), line };
}

export async function prepareFixedCopy(scenario: Scenario): Promise<FixedCopy> {
  if (!existsSync(cli)) throw new Error('run `npx tsc -b` first: the CLI is not built');
  const timings: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[phase] = Math.round(performance.now() - started);
    }
  };
  const source = path.join(appsDir, scenario.app);
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), `stateless-fixed-${scenario.app}-`)), scenario.app);
  // The original's install comes along (the fixed copy only adds what the fixes need): one cold
  // `npm ci` per app in CI, not two.
  // `cp -a` (links kept as they are) copies the 240 MB of next-api's node_modules several times faster than fs.cpSync.
  await timed('copy', async () => {
    mkdirSync(dir);
    const entries = readdirSync(source).filter((name) => !LEFT_OUT.includes(name));
    await run('cp', ['-a', ...entries.map((name) => path.join(source, name)), dir], { timeoutMs: 300_000 });
  });
  const before = sources(dir);
  const fixOutput = await timed('fix', () => run(process.execPath, [cli, 'fix', dir, '--write'], { cwd: repoRoot, timeoutMs: 600_000, outputLimit: 1 << 20 }));
  // Before install and build: a second run sees the sources the first one wrote, nothing else.
  const secondFixOutput = await timed('second fix', () => run(process.execPath, [cli, 'fix', dir], { cwd: repoRoot, timeoutMs: 600_000, outputLimit: 1 << 20 }));
  const after = sources(dir);
  return {
    dir,
    fixOutput,
    secondFixOutput,
    changed: [...before].filter(([file, text]) => after.has(file) && after.get(file) !== text).map(([file]) => file),
    created: [...after.keys()].filter((file) => !before.has(file)),
    timings,
  };
}

/** The app's source files (relative path → text), without dependencies and build output. */
function sources(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && !NOT_SOURCES.includes(entry.name)) walk(full);
      else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) found.set(path.relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return found;
}

/** Whether the app's Next.js `instrumentation` file (beside `app/` or in `src/`) imports the worker and starts it. */
function startsWorkerItself(dir: string): boolean {
  return ['instrumentation.ts', 'instrumentation.js', 'src/instrumentation.ts', 'src/instrumentation.js'].some((file) => {
    const text = existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), 'utf8') : '';
    return /import\(['"][^'"]*scaling\/worker(?:\.[cm]?[jt]s)?['"]\)/.test(text) && /\bstartWorker\(\)/.test(text);
  });
}

/** The queue worker a fix added (`<adapters>/worker.{js,ts}`), as a script node can run, or undefined (none, or one the app starts itself). */
export function workerScript(dir: string): string | undefined {
  const all = [...sources(dir).keys()];
  const worker = all.find((file) => /(?:^|\/)scaling\/worker\.[cm]?[jt]s$/.test(file));
  if (!worker || /\.[cm]?js$/.test(worker)) return worker && path.join(dir, worker);
  // A TypeScript worker runs from the app's build output.
  const built = (function find(current: string): string | undefined {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== 'src') {
        const inside = find(full);
        if (inside) return inside;
      } else if (entry.isFile() && full.endsWith(path.join('scaling', 'worker.js'))) return full;
    }
    return undefined;
  })(dir);
  // A Next.js app builds no worker file of its own: its instrumentation hook must start the worker in each server process.
  if (!built && startsWorkerItself(dir)) return undefined;
  if (!built) throw new Error(`the fix added ${worker}, but the app's build wrote no scaling/worker.js`);
  return built;
}
