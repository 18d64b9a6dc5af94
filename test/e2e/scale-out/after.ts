// The "after fixes" setup: a copy of the example with every Stateless fix applied, type-checked,
// and the shared services it now needs (Redis, an S3-compatible server, the queue worker).
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, run, spawnManaged, stopProcess, waitFor, type ManagedProcess } from './processes';
import { exampleAppDir, repoRoot } from './cluster';

export interface FixedApp {
  dir: string;
  /** What `stateless fix` printed (the applied and skipped fixes). */
  report: string;
}

/** A copy of the example's sources (not node_modules/dist/uploads), with the repository's node_modules linked in. */
export function copyOfExample(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stateless-fixed-shop-'));
  fs.cpSync(exampleAppDir, dir, { recursive: true, filter: (source) => !/[\\/](?:node_modules|dist|uploads|invoices)$/.test(source) });
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Applies every fix to a copy with `stateless fix --write`. */
export async function fixedCopyOfExample(): Promise<FixedApp> {
  const dir = copyOfExample();
  const cli = path.join(repoRoot, 'server/dist/cli/main.js');
  const report = await run(process.execPath, [cli, 'fix', dir, '--write'], { cwd: repoRoot, timeoutMs: 300_000 });
  return { dir, report };
}

/** Every source file of a project (relative path → text), for comparing two fixed copies. */
export function sourceTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && !['node_modules', 'dist'].includes(entry.name)) walk(full);
      else if (entry.isFile()) tree[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return tree;
}

/** `tsc --noEmit -p dir`: the fixed project must type-check. Resolves with tsc's output (empty when clean). */
export async function typeCheck(dir: string): Promise<string> {
  const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
  return run(process.execPath, [tsc, '--noEmit', '-p', dir], { cwd: dir, timeoutMs: 300_000 });
}

export interface SharedServices {
  env: Record<string, string>;
  /** Empties Redis (FLUSHALL), so the next app or run starts from no sessions and no counts. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/** redis-server (no persistence) and s3rver with one bucket, on loopback ports, in a temp dir. */
export async function startSharedServices(): Promise<SharedServices> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stateless-services-'));
  const redisPort = await freePort();
  const redis = spawnManaged('redis', 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
  const s3Port = await freePort();
  const s3Script = path.join(dir, 's3.js');
  fs.writeFileSync(
    s3Script,
    `const S3rver = require(${JSON.stringify(require.resolve('s3rver', { paths: [path.join(repoRoot, 'adapters')] }))});
new S3rver({ port: ${s3Port}, address: '127.0.0.1', silent: true, directory: ${JSON.stringify(path.join(dir, 's3'))}, configureBuckets: [{ name: 'shop' }] }).run().then(() => console.log('s3 ready'));`,
  );
  const s3 = spawnManaged('s3rver', process.execPath, [s3Script]);
  await waitFor('redis-server', () => accepts(redisPort), { process: redis });
  await waitFor('s3rver', async () => ((await fetch(`http://127.0.0.1:${s3Port}/shop`).catch(() => undefined))?.status ? true : undefined), { process: s3 });
  const env = {
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    S3_BUCKET: 'shop',
    S3_ENDPOINT: `http://127.0.0.1:${s3Port}`,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  };
  return {
    env,
    flush: () => flushRedis(redisPort),
    stop: async () => {
      await stopProcess(s3);
      await stopProcess(redis);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The queue worker the fixes generated (`src/scaling/worker.ts`, built with the app, unless another script is given). */
export async function startWorker(appDir: string, env: Record<string, string>, script = path.join(appDir, 'dist/src/scaling/worker.js')): Promise<ManagedProcess> {
  const worker = spawnManaged('worker', process.execPath, [script], { cwd: appDir, env: { ...process.env, ...env } });
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (worker.hasExited()) throw new Error(`the worker exited at start:\n${worker.output()}`);
  return worker;
}

/** FLUSHALL over Redis's protocol, without a client library. */
function flushRedis(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('*1\r\n$8\r\nFLUSHALL\r\n'));
    socket.setTimeout(5_000, () => socket.destroy(new Error('redis FLUSHALL timed out')));
    socket.once('data', (reply) => {
      socket.end();
      if (reply.toString().startsWith('+OK')) resolve();
      else reject(new Error(`redis FLUSHALL answered ${reply.toString()}`));
    });
    socket.once('error', reject);
  });
}

/** Whether something listens on a loopback port (undefined: not yet). */
function accepts(port: number): Promise<true | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(undefined));
  });
}
