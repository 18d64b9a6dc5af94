// A PostgreSQL 15 primary and a streaming standby on loopback, in a temp dir. The standby applies
// commits `applyDelayMs` late (`recovery_min_apply_delay`), so replica lag is real and the same
// on every run: a read on the replica right after a write on the primary misses it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findExecutable, freePort, run, spawnManaged, stopProcess, waitFor, type ManagedProcess } from './processes';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const PG_TOOLS = ['initdb', 'postgres', 'pg_basebackup', 'pg_isready', 'psql'];

export interface Database {
  /** For the app's DATABASE_URL. */
  readonly primaryUrl: string;
  /** For the app's DATABASE_REPLICA_URL: the standby, `applyDelayMs` behind. */
  readonly replicaUrl: string;
  readonly applyDelayMs: number;
  /** Waits until the standby has replayed everything the primary has written so far. */
  waitForReplica(timeoutMs?: number): Promise<void>;
  /** Runs one SQL statement on the primary or the standby; returns psql's unaligned output. */
  query(target: 'primary' | 'replica', sql: string): Promise<string>;
  /**
   * Changes how late the standby applies commits, at once (reloaded, not restarted). At 0 the
   * standby is also made synchronous (`synchronous_commit = remote_apply`): streaming is
   * asynchronous, so even with no delay a read a millisecond after a write can miss it on a
   * loaded machine; with remote_apply the primary acknowledges a commit only once the standby
   * has applied it, and a read right after a write sees it.
   */
  setApplyDelay(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/** What is missing to run PostgreSQL here (empty when everything is installed). */
export function missingPostgres(): string[] {
  const missing = PG_TOOLS.filter((tool) => !findExecutable(path.join(PG_BIN, tool))).map((tool) => path.join(PG_BIN, tool));
  if (isRoot() && !findExecutable('runuser')) missing.push('runuser');
  if (isRoot() && !postgresUser()) missing.push('the postgres OS user');
  return missing;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

let cachedPostgresUser: { uid: number; gid: number } | undefined | null = null;
function postgresUser(): { uid: number; gid: number } | undefined {
  if (cachedPostgresUser === null) {
    try {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      cachedPostgresUser = { uid, gid };
    } catch {
      cachedPostgresUser = undefined;
    }
  }
  return cachedPostgresUser;
}

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user. */
function asPostgres(tool: string, args: string[]): [string, string[]] {
  const binary = path.join(PG_BIN, tool);
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

function ownedByPostgres(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const user = isRoot() ? postgresUser() : undefined;
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

/** The postmaster's own pid (runuser forks, so the spawned pid is only the wrapper's). */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export async function startDatabase({ dir, applyDelayMs = 500 }: { dir: string; applyDelayMs?: number }): Promise<Database> {
  const root = ownedByPostgres(dir);
  const socketDir = root;
  const primaryDir = path.join(root, 'primary');
  const standbyDir = path.join(root, 'standby');
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const appPassword = randomBytes(12).toString('hex');
  const replicationPassword = randomBytes(12).toString('hex');
  const started: ManagedProcess[] = [];

  const psql = (port: number, sql: string, database = 'postgres') =>
    run(path.join(PG_BIN, 'psql'), ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', '-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', database, '-c', sql]).then((out) => out.trim());

  const startServer = async (name: string, dataDir: string, port: number) => {
    const [command, args] = asPostgres('postgres', ['-D', dataDir]);
    // SIGQUIT is PostgreSQL's immediate shutdown: the right signal when the test process dies.
    const server = spawnManaged(name, command, args, { targetPid: () => postmasterPid(dataDir), emergencySignal: 'SIGQUIT' });
    started.push(server);
    await waitFor(`${name} to accept connections on 127.0.0.1:${port}`, async () => {
      await run(path.join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]);
      return true;
    }, { timeoutMs: 60_000, intervalMs: 200, process: server });
    return server;
  };

  const stop = async () => {
    // SIGINT is the fast shutdown: abort sessions, checkpoint, exit. Standby first.
    for (const server of [...started].reverse()) await stopProcess(server, 'SIGINT', 15_000);
  };

  try {
    const [initdb, initdbArgs] = asPostgres('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C']);
    await run(initdb, initdbArgs);
    appendFileSync(
      path.join(primaryDir, 'postgresql.conf'),
      [
        '',
        '# scale-out e2e',
        "listen_addresses = '127.0.0.1'",
        `port = ${primaryPort}`,
        `unix_socket_directories = '${socketDir}'`,
        'wal_level = replica',
        'max_wal_senders = 4',
        'hot_standby = on',
        'fsync = off',
        "password_encryption = 'scram-sha-256'",
        '',
      ].join('\n'),
    );
    // Only loopback, every TCP connection with a password; the local socket stays trusted for the harness.
    writeFileSync(
      path.join(primaryDir, 'pg_hba.conf'),
      [
        'local all all trust',
        'host shop shop 127.0.0.1/32 scram-sha-256',
        'host replication replicator 127.0.0.1/32 scram-sha-256',
        '',
      ].join('\n'),
    );
    await startServer('postgres-primary', primaryDir, primaryPort);
    await psql(primaryPort, `CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${replicationPassword}'`);
    await psql(primaryPort, `CREATE ROLE shop WITH LOGIN PASSWORD '${appPassword}'`);
    await psql(primaryPort, 'CREATE DATABASE shop OWNER shop');

    // -R writes standby.signal and primary_conninfo (with this password) into the copy.
    const [basebackup, basebackupArgs] = asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'replicator', '-D', standbyDir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync']);
    await run(basebackup, basebackupArgs, { env: { ...process.env, PGPASSWORD: replicationPassword } });
    appendFileSync(path.join(standbyDir, 'postgresql.auto.conf'), [`port = ${standbyPort}`, `recovery_min_apply_delay = '${applyDelayMs}ms'`, ''].join('\n'));
    await startServer('postgres-standby', standbyDir, standbyPort);
  } catch (err) {
    await stop();
    throw err;
  }

  const url = (port: number) => `postgres://shop:${appPassword}@127.0.0.1:${port}/shop`;
  async function setSynchronousStandby(synchronous: boolean): Promise<void> {
    if (synchronous) {
      await psql(primaryPort, "ALTER SYSTEM SET synchronous_standby_names = '*'");
      await psql(primaryPort, "ALTER SYSTEM SET synchronous_commit = 'remote_apply'");
    } else {
      await psql(primaryPort, 'ALTER SYSTEM RESET synchronous_standby_names');
      await psql(primaryPort, 'ALTER SYSTEM RESET synchronous_commit');
    }
    await psql(primaryPort, 'SELECT pg_reload_conf()');
  }

  return {
    primaryUrl: url(primaryPort),
    replicaUrl: url(standbyPort),
    applyDelayMs,
    async waitForReplica(timeoutMs = 30_000) {
      const lsn = await psql(primaryPort, 'SELECT pg_current_wal_lsn()');
      await waitFor(`the standby to replay up to ${lsn}`, async () => {
        const caughtUp = await psql(standbyPort, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`);
        return caughtUp === 't' ? true : undefined;
      }, { timeoutMs, intervalMs: 100 });
    },
    query: (target, sql) => psql(target === 'primary' ? primaryPort : standbyPort, sql, 'shop'),
    async setApplyDelay(ms) {
      const delay = Math.max(0, Math.trunc(ms));
      // Synchronous only once the standby applies at once, asynchronous before it lags again:
      // a remote_apply commit would otherwise wait out the delay.
      if (delay > 0) await setSynchronousStandby(false);
      await psql(standbyPort, `ALTER SYSTEM SET recovery_min_apply_delay = '${delay}ms'`);
      await psql(standbyPort, 'SELECT pg_reload_conf()');
      if (delay === 0) await setSynchronousStandby(true);
    },
    stop,
  };
}
