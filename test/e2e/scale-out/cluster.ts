// The app as N instances (default 3) on 127.0.0.1 behind nginx round-robin, sharing a PostgreSQL
// primary and a lagging standby. Each instance gets its own working directory, as it would get its
// own disk on its own machine: files one instance writes under `uploads/` are not there for the others.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nginxBinary, startLoadBalancer, type LoadBalancer } from './nginx';
import { missingPostgres, startDatabase, type Database } from './postgres';
import { freePort, killProcess, run, spawnManaged, stopProcess, waitFor, type ManagedProcess } from './processes';

export const repoRoot = path.resolve(__dirname, '../../..');
export const exampleAppDir = path.join(repoRoot, 'examples', 'legacy-shop');

export interface StartClusterOptions {
  /** The app package: `dist/src/server.js` under it is started (build it first, see `buildApp`). */
  appDir: string;
  /** Extra environment for every instance (REDIS_URL, S3_*, ...), on top of PORT and the database URLs. */
  env?: Record<string, string>;
  instances?: number;
  /** Reuse a running database (e.g. the one of the "before" phase); otherwise one is started and owned. */
  database?: Database;
  /** Standby apply delay for a database started here. */
  applyDelayMs?: number;
  /** The server script, relative to appDir. */
  entry?: string;
  /** The command that starts one instance, instead of `node <appDir>/<entry>` (an app's own `start` script). */
  command?: [string, string[]];
  /**
   * Where every instance runs (an app that reads files beside it), or, given an instance's own
   * directory, where that instance runs (its own copy of the app); by default each in its own directory.
   */
  cwd?: string | ((instanceDir: string) => string);
  /** Environment for one instance, given its own directory (e.g. its own UPLOAD_DIR: its own disk). */
  instanceEnv?: (instanceDir: string) => Record<string, string>;
  /** The path polled until an instance (and nginx) answers; `/healthz` by default. */
  readyPath?: string;
  /** Any HTTP answer on readyPath means ready (an app without a health route), not only a 2xx. */
  readyOnAnyStatus?: boolean;
}

export interface AppInstance {
  readonly index: number;
  readonly url: string;
  /** Its working directory: uploads/ and invoices live here. */
  readonly cwd: string;
  readonly process: ManagedProcess;
  readonly pid: number;
}

export interface Cluster {
  /** The load balancer's URL: what clients use. */
  readonly url: string;
  readonly instances: AppInstance[];
  readonly database: Database;
  readonly loadBalancer: LoadBalancer;
  readonly dir: string;
  /** SIGKILL one instance by pid (no graceful shutdown): nginx must route around it. */
  killInstance(index: number): Promise<void>;
  /** stdout/stderr of every process, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

/** What must be installed for the test (empty when all is there). */
export function missingPrerequisites(): string[] {
  return [...(nginxBinary() ? [] : ['nginx']), ...missingPostgres()];
}

/** Builds an app package with its own `npm run build` (for the example: `tsc -p .` into dist/). */
export async function buildApp(appDir: string): Promise<void> {
  await run('npm', ['run', 'build', '--silent'], { cwd: appDir, timeoutMs: 180_000 });
}

const clusters = new Set<Cluster>();

/** Stops one cluster, or every cluster started and not yet stopped. Safe to call twice. */
export async function stopCluster(cluster?: Cluster): Promise<void> {
  for (const each of cluster ? [cluster] : [...clusters]) await each.stop();
}

export async function startCluster(options: StartClusterOptions): Promise<Cluster> {
  const { appDir, env = {}, instances: count = 3, entry = 'dist/src/server.js', readyPath = '/healthz', readyOnAnyStatus = false } = options;
  const [command, commandArgs] = options.command ?? [process.execPath, [path.join(appDir, entry)]];
  // nginx answers 502 while no instance is up: that is never "ready".
  const isReady = (status: number) => (readyOnAnyStatus ? status > 0 && status !== 502 : status >= 200 && status < 300);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stateless-scale-out-'));
  // PostgreSQL runs as another user and needs to reach its data dir below this one.
  chmodSync(dir, 0o755);
  const ownsDatabase = !options.database;
  const apps: AppInstance[] = [];
  const spawned: ManagedProcess[] = [];
  let database: Database | undefined = options.database;
  let loadBalancer: LoadBalancer | undefined;
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clusters.delete(cluster);
    await loadBalancer?.stop();
    await Promise.all(spawned.map((proc) => stopProcess(proc, 'SIGTERM')));
    if (ownsDatabase) await database?.stop();
    if (process.env.KEEP_E2E_DIR) console.log(`scale-out: kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };

  const startInstance = async (name: string, port: number, instanceEnv: Record<string, string>) => {
    // A timed-out beforeAll may have stopped the cluster while start-up goes on.
    if (stopped) throw new Error(`cluster stopped before ${name} started`);
    const ownDir = path.join(dir, name);
    mkdirSync(ownDir, { recursive: true });
    const cwd = typeof options.cwd === 'function' ? options.cwd(ownDir) : (options.cwd ?? ownDir);
    const proc = spawnManaged(name, command, commandArgs, {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        TMPDIR: process.env.TMPDIR,
        PORT: String(port),
        DATABASE_URL: database!.primaryUrl,
        DATABASE_REPLICA_URL: database!.replicaUrl,
        ...options.instanceEnv?.(ownDir),
        ...instanceEnv,
      },
    });
    spawned.push(proc);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`${name} on ${url}${readyPath}`, async () => (isReady((await fetch(`${url}${readyPath}`)).status) ? true : undefined), { timeoutMs: 60_000, process: proc });
    return { url, cwd, process: proc, pid: proc.child.pid! };
  };

  // Registered before anything starts, so a failure half-way is cleaned up by stopCluster() too.
  const cluster: Cluster = {
    get url() {
      return loadBalancer!.url;
    },
    instances: apps,
    get database() {
      return database!;
    },
    get loadBalancer() {
      return loadBalancer!;
    },
    dir,
    async killInstance(index) {
      await killProcess(apps[index].process);
    },
    logs: () =>
      [...spawned, ...(loadBalancer ? [loadBalancer.process] : [])]
        .map((proc) => `----- ${proc.name} (pid ${proc.child.pid ?? '?'})\n${proc.output()}`)
        .join('\n'),
    stop,
  };
  clusters.add(cluster);

  try {
    database ??= await startDatabase({ dir: path.join(dir, 'pg'), applyDelayMs: options.applyDelayMs });

    // initDatabase() writes the schema and seed on the primary, then start-up reads categories
    // from the replica; on a fresh database that read would come before the standby has the
    // tables. So the first start is a one-off run against the primary only, then we wait for the
    // standby to replay it.
    const init = await startInstance('init', await freePort(), { ...env, DATABASE_REPLICA_URL: database.primaryUrl });
    await stopProcess(init.process, 'SIGTERM');
    await database.waitForReplica();

    // One instance first (initDatabase again: idempotent, but concurrent DDL can race), then the rest.
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    const start = async (index: number) => apps.push({ index, ...(await startInstance(`app-${index}`, ports[index], env)) });
    await start(0);
    await Promise.all(ports.slice(1).map((_, i) => start(i + 1)));
    apps.sort((a, b) => a.index - b.index);

    if (stopped) throw new Error('cluster stopped before nginx started');
    loadBalancer = await startLoadBalancer({ dir: path.join(dir, 'nginx'), upstreams: ports.map((port) => `127.0.0.1:${port}`), readyPath, isReady });
    return cluster;
  } catch (err) {
    const logs = cluster.logs();
    await stop();
    if (err instanceof Error) err.message += `\n${logs}`;
    throw err;
  }
}
