// Timing, memory sampling and table formatting shared by the benchmark phases.

/** `global.gc` exists only under `node --expose-gc`; without it we still run, just noisier. */
export const gc = typeof globalThis.gc === 'function' ? () => globalThis.gc() : () => {};
export const hasGc = typeof globalThis.gc === 'function';

export const MiB = (bytes) => bytes / 1048576;

/**
 * Peak RSS / heapUsed per phase. Synchronous loops call `tick()` every few files (timers
 * cannot fire inside them); async phases (ESLint) are covered by a 20 ms interval.
 * `process.memoryUsage()` costs microseconds, so ticking every 128 files is noise.
 */
export function createMemorySampler() {
  const phases = {};
  let current;
  let timer;
  const tick = () => {
    if (!current) return;
    const { rss, heapUsed } = process.memoryUsage();
    if (rss > current.rssPeak) current.rssPeak = rss;
    if (heapUsed > current.heapPeak) current.heapPeak = heapUsed;
  };
  return {
    tick,
    /** Starts (or resumes) a named phase; interleaved phases accumulate peaks. */
    begin(name) {
      current = phases[name] ??= { rssPeak: 0, heapPeak: 0 };
      tick();
      timer = setInterval(tick, 20);
      timer.unref();
    },
    end() {
      tick();
      clearInterval(timer);
      current = undefined;
    },
    results() {
      return Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, { rssMiB: round(MiB(v.rssPeak), 1), heapUsedMiB: round(MiB(v.heapPeak), 1) }]));
    },
  };
}

export const round = (value, digits = 2) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);
export const best = (runs) => (runs.length ? Math.min(...runs) : NaN);

/** One ratio line: name, value with 2 decimals, target and verdict (or "informational"). */
export function ratioLine(name, value, target) {
  const shown = Number.isFinite(value) ? value.toFixed(2) : ' n/a';
  if (target === undefined) return `  ${name.padEnd(36)} ${shown.padStart(6)}  (informational)`;
  const verdict = !Number.isFinite(value) ? 'not measured' : value <= target ? 'ok' : 'MISSED';
  return `  ${name.padEnd(36)} ${shown.padStart(6)}  (target ≤ ${target.toFixed(2)})  ${verdict}`;
}

export function timeLine(name, runs, note = '') {
  if (!runs.length) return `  ${name.padEnd(36)}    n/a`;
  const list = runs.length > 1 ? `  runs: ${runs.map((r) => Math.round(r)).join(' ')}` : '';
  return `  ${name.padEnd(36)} ${String(Math.round(best(runs))).padStart(6)} ms${list}${note ? '  ' + note : ''}`;
}

export function section(title) {
  return `\n${title}`;
}
