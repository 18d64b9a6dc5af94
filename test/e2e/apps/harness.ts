// Runs one app of the legacy corpus on one instance against a PostgreSQL primary and a lagging
// standby, plays its scripted client scenario, and returns the normalised replies. The app is
// started the way its own package.json says (`npm start`), configured only by environment.
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ShopClient, type Reply } from '../scale-out/client';
import { missingPostgres, startDatabase, type Database } from '../scale-out/postgres';
import { freePort, run, spawnManaged, stopProcess, waitFor, type ManagedProcess } from '../scale-out/processes';

export const appsDir = __dirname;

export type Vars = Record<string, string>;
type FromVars<T> = T | ((vars: Vars) => T);

export interface Step {
  /** Unique within the scenario: names the reply in the expectations. */
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: FromVars<string>;
  json?: FromVars<unknown>;
  /** A raw body, sent as is (set its content-type in headers). */
  text?: string;
  /** A multipart body (file uploads); built fresh for each run. */
  form?: (vars: Vars) => FormData;
  headers?: FromVars<Record<string, string>>;
  /** Which cookie jar sends the request: the browser (default) or a client without cookies. */
  client?: 'browser' | 'mobile';
  /** Wait until the standby has replayed every write so far before sending the request. */
  afterReplicaCatchesUp?: boolean;
  /** Values to keep for later steps: variable name -> dotted path in the JSON reply body. */
  save?: Record<string, string>;
  /** Keep only the start and the length of a large or binary body (a PDF), not the body itself (expected.json keeps the start: a compressed size changes with the dates inside). */
  summarise?: boolean;
  /** The status the app's author intends for this request. */
  status: number;
}

/** Replaces whatever changes from run to run (ids minted at random, clocks) with a placeholder. */
export type NormaliseRule = { key: string; as: unknown } | { pattern: RegExp; as: string };

export interface StepReply {
  step: string;
  status: number;
  body: unknown;
}

/** The five hazard classes, the scheduler that sweeps them, and the quiet look-alikes beside them. */
export type PlantedKind = 'session' | 'disk' | 'counter' | 'blocking' | 'replica' | 'scheduler' | 'look-alike';

/** One place in the app where its author left state that breaks on N instances (or a look-alike). */
export interface Planted {
  kind: PlantedKind;
  /** `file:line` relative to the app folder. */
  at: string;
  /** Text on that line, so an edit that moves it is noticed. */
  code: string;
  note: string;
}

/** One request of a scale-out check, sent past nginx to one instance or to each in turn. */
export interface ScaleOutStep {
  /** A step of the scenario, by name, or one of its own (named, with the status the author intends). */
  step: string | Step;
  /** An instance by index, `every` instance one after the other, or `nginx` (round robin). */
  via: number | 'every' | 'nginx';
  /**
   * Whose cookies and saved values it carries: `shared`, the client that signed up and logged in
   * through instance 0 (a session check), or `own` (the default), a client logged in on that very
   * instance by `scaleOutLogin`, so a check of files or counters does not depend on the sessions;
   * or a number: the `own` client of that instance (a killed-instance check asking, through another
   * instance, for what that client wrote).
   */
  jar?: 'shared' | 'own' | number;
  /** Send it this many times (per instance, with `every`). */
  times?: number;
  /** Wait until the standby has replayed every write first (never in a read-after-write check). */
  afterReplicaCatchesUp?: boolean;
  /** What the reply must hold beyond its status: undefined when it does, else what is wrong. */
  expect?: (body: unknown, vars: Vars) => string | undefined;
}

/**
 * A check of the fixed app on 3 instances, in the app's own terms. The `killed` checks come last:
 * they are played once instance 0 (where the shared client logged in and the other checks wrote
 * their files) has been killed with SIGKILL, and `every` then means the two instances left: what
 * was acknowledged through the dead instance must still be there.
 */
export interface ScaleOutCheck {
  /** Unique within the scenario: `knownScaleOutFailures` names it. */
  name: string;
  kind: 'session' | 'file' | 'counter' | 'read-after-write' | 'killed';
  steps: ScaleOutStep[];
}

export interface Scenario {
  /** The app's folder under test/e2e/apps. */
  app: string;
  /** Run `npm run build` after installing. */
  build?: boolean;
  /**
   * False for an app that keeps no database (its records live in process memory): it has no replica
   * read to plant, and the harness's PostgreSQL is simply never used by it.
   */
  database?: false;
  /**
   * The app already keeps some of its state in Redis (`REDIS_URL`: sessions, a queue, a socket.io
   * adapter), as a service halfway through its move to N instances does: the original run gets the
   * harness's Redis too (emptied first), not only the fixed copy.
   */
  redis?: true;
  /** A path that answers once the app is up (any HTTP status counts). */
  readyPath?: string;
  steps: Step[];
  normalise: NormaliseRule[];
  /** What a correct fix may change in these replies (and nothing else). */
  differencesAfterFix: string[];
  /** The steps those differences touch: every other reply must stay exactly as in expected.json. */
  stepsAFixMayChange: string[];
  /** Every hazard the app carries and the look-alikes that must stay quiet, written with the app. */
  planted: Planted[];
  /**
   * The fixed copy is known not to give the same replies on one instance: why, and the error it
   * fails with (a different failure is not hidden behind it). Goes the day the fix is mended.
   */
  knownFixFailure?: { reason: string; error: RegExp };
  /** A second `stateless fix` on the fixed copy is known to plan more: why, and what it plans. */
  knownSecondFix?: { reason: string; plans: RegExp };
  /** Played once through instance 0 before the scale-out checks, with the `shared` client (sign up, log in). */
  scaleOutSetup: ScaleOutStep[];
  /** Played on every instance straight, each with its `own` client (log in there). */
  scaleOutLogin: (string | Step)[];
  /** The scale-out checks, on 3 instances of the fixed copy behind nginx. */
  scaleOut: ScaleOutCheck[];
  /** Checks known to fail today, by name: the hazard the engine still leaves (the test asserts they still fail). */
  knownScaleOutFailures: Record<string, string>;
}

export interface ScenarioRun {
  /** The normalised replies; `<app>/expected.json` holds them as the app's author intends them. */
  replies: StepReply[];
  /** Steps whose status is not the one the scenario expects. */
  failedSteps: string[];
  /** Milliseconds per phase: install, build, start, scenario. */
  timings: Record<string, number>;
  logs: string;
}

// Clocks and random ids, whatever app they come from (a token or a checksum is normalised by its key, or kept).
const DEFAULT_RULES: NormaliseRule[] = [
  { pattern: /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?/g, as: '<time>' },
  { pattern: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, as: '<uuid>' },
  { pattern: /\b1[7-9]\d{11}\b/g, as: '<epoch-ms>' },
];

export function normalise(value: unknown, rules: NormaliseRule[]): unknown {
  const all = [...rules, ...DEFAULT_RULES];
  const walk = (node: unknown, key?: string): unknown => {
    const byKey = key === undefined ? undefined : all.find((rule) => 'key' in rule && rule.key === key);
    if (byKey && 'key' in byKey && node !== null && node !== undefined) return byKey.as;
    if (typeof node === 'string') {
      return all.reduce<string>((text, rule) => ('pattern' in rule ? text.replace(rule.pattern, rule.as) : text), node);
    }
    if (Array.isArray(node)) return node.map((item) => walk(item));
    if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    return node;
  };
  return walk(value);
}

export function pick(body: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), body);
}

export const resolve = <T>(value: FromVars<T>, vars: Vars): T => (typeof value === 'function' ? (value as (vars: Vars) => T)(vars) : value);

/**
 * `npm ci` when node_modules is missing or was installed from another lock file. A fixed copy has
 * dependencies its lock file lacks: `npm install` there (`mode: 'install'`).
 */
export async function installApp(appDir: string, mode: 'ci' | 'install' = 'ci'): Promise<boolean> {
  const lock = readFileSync(path.join(appDir, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).update(readFileSync(path.join(appDir, 'package.json'))).digest('hex');
  const marker = path.join(appDir, 'node_modules', '.installed-from-lock');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return false;
  await run('npm', [mode, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: appDir, timeoutMs: 600_000 });
  writeFileSync(marker, hash);
  return true;
}

/** The app's files that a build reads: everything but its dependencies and build output. */
function sourceHash(appDir: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (['node_modules', 'dist', '.next', 'uploads', 'scenario.ts', 'expected.json'].includes(entry.name)) continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else hash.update(`${path.relative(appDir, file)}\0`).update(readFileSync(file));
    }
  };
  walk(appDir);
  return hash.digest('hex');
}

/**
 * A copy of the installed and built app at `to`, as another machine running the same build has
 * it: every file but the dependencies, which are linked (nothing writes there). Returns `to`.
 */
export function copyApp(appDir: string, to: string): string {
  const dependencies = path.join(appDir, 'node_modules');
  cpSync(appDir, to, { recursive: true, verbatimSymlinks: true, filter: (source) => source !== dependencies });
  symlinkSync(dependencies, path.join(to, 'node_modules'), 'dir');
  return to;
}

/**
 * `npm run build`, unless the last build here was made from the same sources and lock file. The
 * marker names the folder too: node_modules copied elsewhere (a fixed copy, another checkout) does
 * not vouch for a build output that was not copied with it.
 */
export async function buildApp(appDir: string): Promise<boolean> {
  const marker = path.join(appDir, 'node_modules', '.built-from-sources');
  const hash = `${path.resolve(appDir)}\0${sourceHash(appDir)}`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return false;
  await run('npm', ['run', 'build', '--silent'], { cwd: appDir, timeoutMs: 600_000, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  writeFileSync(marker, hash);
  return true;
}

/** The `start` script as a command to spawn without a shell: `node x.js` or a binary of the app. */
export function startCommand(appDir: string): [string, string[]] {
  const pkg = JSON.parse(readFileSync(path.join(appDir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.start;
  if (!script) throw new Error(`${appDir}/package.json has no start script`);
  const [command, ...args] = script.trim().split(/\s+/);
  if (command === 'node') return [process.execPath, args];
  const bin = path.join(appDir, 'node_modules', '.bin', command);
  if (!existsSync(bin)) throw new Error(`start script of ${appDir} runs ${command}, which is not a node_modules binary`);
  return [bin, args];
}

export interface AppsDatabase {
  readonly database: Database;
  /** Empties the app database (primary and, once replayed, the standby) for the next app. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export { missingPostgres };

export async function startAppsDatabase(applyDelayMs = 500): Promise<AppsDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stateless-apps-pg-'));
  // PostgreSQL runs as another user and needs to reach its data dir below this one.
  chmodSync(dir, 0o755);
  const database = await startDatabase({ dir: path.join(dir, 'pg'), applyDelayMs });
  return {
    database,
    async reset() {
      await database.query('primary', 'DROP SCHEMA public CASCADE; CREATE SCHEMA public AUTHORIZATION shop;');
      await database.waitForReplica();
    },
    async stop() {
      await database.stop();
      if (!process.env.KEEP_E2E_DIR) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RunOptions {
  /** The app folder; defaults to the scenario's own folder in the corpus (a fixed copy is elsewhere). */
  appDir?: string;
  env?: Record<string, string>;
  install?: 'ci' | 'install';
}

export async function runScenario(scenario: Scenario, db: AppsDatabase, options: RunOptions = {}): Promise<ScenarioRun> {
  const appDir = options.appDir ?? path.join(appsDir, scenario.app);
  const timings: Record<string, number> = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      timings[phase] = Math.round(performance.now() - started);
    }
  };

  await timed('install', () => installApp(appDir, options.install));
  if (scenario.build) await timed('build', () => buildApp(appDir));
  await db.reset();

  const workDir = mkdtempSync(path.join(os.tmpdir(), `stateless-app-${scenario.app}-`));
  const uploadDir = path.join(workDir, 'uploads');
  mkdirSync(uploadDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const [command, args] = startCommand(appDir);
  let app: ManagedProcess | undefined;
  try {
    app = await timed('start', async () => {
      const proc = spawnManaged(scenario.app, command, args, {
        cwd: appDir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TMPDIR: process.env.TMPDIR,
          NODE_ENV: 'production',
          NEXT_TELEMETRY_DISABLED: '1',
          PORT: String(port),
          DATABASE_URL: db.database.primaryUrl,
          DATABASE_REPLICA_URL: db.database.replicaUrl,
          UPLOAD_DIR: uploadDir,
          ...options.env,
        },
      });
      await waitFor(`${scenario.app} on ${url}`, async () => ((await fetch(`${url}${scenario.readyPath ?? '/'}`)).status > 0 ? true : undefined), { timeoutMs: 60_000, intervalMs: 200, process: proc });
      // The schema is written on the primary at start-up: let the standby have it before reads go there.
      await db.database.waitForReplica();
      return proc;
    });
    const replies = await timed('scenario', () => playSteps(scenario, url, db.database));
    const failedSteps = replies.filter((reply, i) => reply.status !== scenario.steps[i].status).map((reply) => `${reply.step}: ${reply.status}`);
    return { replies, failedSteps, timings, logs: app.output() };
  } finally {
    if (app) await stopProcess(app, 'SIGTERM');
    if (!process.env.KEEP_E2E_DIR) rmSync(workDir, { recursive: true, force: true });
  }
}

async function playSteps(scenario: Scenario, url: string, database: Database): Promise<StepReply[]> {
  const clients = { browser: new ShopClient(url), mobile: new ShopClient(url) };
  const vars: Vars = {};
  const replies: StepReply[] = [];
  for (const step of scenario.steps) {
    if (step.afterReplicaCatchesUp) await database.waitForReplica();
    const reply: Reply = await clients[step.client ?? 'browser'].request(step.method, resolve(step.path, vars), {
      json: step.json === undefined ? undefined : resolve(step.json, vars),
      form: step.form?.(vars),
      text: step.text,
      headers: step.headers === undefined ? undefined : resolve(step.headers, vars),
    });
    for (const [name, dotted] of Object.entries(step.save ?? {})) {
      const value = pick(reply.body, dotted);
      if (value !== undefined && value !== null) vars[name] = String(value);
    }
    const body = step.summarise && typeof reply.body === 'string' ? { head: reply.body.slice(0, 8), chars: reply.body.length } : reply.body;
    replies.push({ step: step.name, status: reply.status, body: normalise(reply.error ?? body, scenario.normalise) });
  }
  return replies;
}
