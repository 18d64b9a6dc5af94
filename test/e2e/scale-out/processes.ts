// Child processes of the scale-out test: every one is tracked by pid and stopped by pid, in
// afterAll, when start-up fails half-way, and (as a last resort) when the test process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The pid to signal; for a wrapper such as `runuser` this is the real server's pid once known. */
  targetPid(): number | undefined;
  readonly exited: Promise<number | null>;
  hasExited(): boolean;
  /** The last few kilobytes of stdout and stderr, for failure messages. */
  output(): string;
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Where to send signals when the spawned pid is only a wrapper (see `runuser`). */
  targetPid?: () => number | undefined;
  /** Sent when the test process exits with this process still running. */
  emergencySignal?: NodeJS.Signals;
  /** How much of the output to keep (the last characters); 16 KiB by default. */
  outputLimit?: number;
}

const OUTPUT_LIMIT = 16 * 1024;
const running = new Set<ManagedProcess>();

export function spawnManaged(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-(options.outputLimit ?? OUTPUT_LIMIT));
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exitedYet = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (err) => {
      append(Buffer.from(`\n[spawn error] ${err.message}\n`));
      exitedYet = true;
      resolve(null);
    });
    child.once('exit', (code) => {
      exitedYet = true;
      resolve(code);
    });
  });
  const managed: ManagedProcess = {
    name,
    child,
    targetPid: () => options.targetPid?.() ?? child.pid,
    exited,
    hasExited: () => exitedYet,
    output: () => output,
  };
  running.add(managed);
  void exited.then(() => running.delete(managed));
  emergencySignals.set(managed, options.emergencySignal ?? 'SIGKILL');
  return managed;
}

const emergencySignals = new WeakMap<ManagedProcess, NodeJS.Signals>();

function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Signals the process by pid and waits for it; escalates to SIGKILL after `graceMs`. */
export async function stopProcess(proc: ManagedProcess, sig: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (proc.hasExited()) return;
  signal(proc.targetPid(), sig);
  if (await exitsWithin(proc, graceMs)) return;
  signal(proc.targetPid(), 'SIGKILL');
  signal(proc.child.pid, 'SIGKILL');
  await exitsWithin(proc, 5_000);
}

/** SIGKILL by pid, no grace: an instance that dies mid-request. */
export async function killProcess(proc: ManagedProcess): Promise<void> {
  signal(proc.targetPid(), 'SIGKILL');
  await exitsWithin(proc, 5_000);
}

async function exitsWithin(proc: ManagedProcess, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = await Promise.race([proc.exited.then(() => true as const), timeout]);
  clearTimeout(timer);
  return done;
}

export function runningProcesses(): ManagedProcess[] {
  return [...running];
}

// Last resort when the test process exits while something still runs (a crashed hook, Ctrl-C).
process.once('exit', () => {
  for (const proc of running) signal(proc.targetPid(), emergencySignals.get(proc) ?? 'SIGKILL');
});

/** Runs a command to completion; rejects with its output when it fails. */
export async function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; outputLimit?: number } = {}): Promise<string> {
  const proc = spawnManaged(path.basename(command), command, args, options);
  const timeoutMs = options.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const code = await Promise.race([proc.exited, timedOut]);
  clearTimeout(timer);
  if (code === 'timeout') {
    await stopProcess(proc, 'SIGKILL');
    throw new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs} ms\n${proc.output()}`);
  }
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${String(code)}\n${proc.output()}`);
  return proc.output();
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `probe` until it returns a value other than undefined; bounded by `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, { timeoutMs = 30_000, intervalMs = 100, process: proc }: { timeoutMs?: number; intervalMs?: number; process?: ManagedProcess } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (proc?.hasExited()) throw new Error(`${proc.name} exited while waiting for ${what}\n${proc.output()}`);
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}${proc ? `\n${proc.output()}` : ''}`);
}

/** The absolute path of an executable: an absolute candidate as is, otherwise looked up on PATH and the sbin dirs. */
export function findExecutable(...candidates: string[]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'].filter(Boolean);
  for (const candidate of candidates) {
    const paths = path.isAbsolute(candidate) ? [candidate] : dirs.map((dir) => path.join(dir, candidate));
    for (const file of paths) {
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // try the next one
      }
    }
  }
  return undefined;
}
