import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A busy flag checked and taken in one condition, `if (queued && !running) { running = true; try { …
// } finally { running = false } }` (issue 12's cache and lock pass, test/real-world: a database dump
// route's re-entry flag; public services guard cron jobs and rebuilds the same way), written here in a
// shape of our own. The write under `if (!running)` read as a value made once on first use, so the
// guard was dropped. A flag given back after the work is a lock; the look-alikes stay quiet: a flag
// raised once on first use (`initialized`), and one only a failure resets (a first load that may retry).

afterAll(removeAnalysedProjects);

const exportRoute = (guard: string) => ({
  'src/exporter.ts': `import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
${guard}
`,
  'src/server.ts': `import express from 'express';
import { exportAll } from './exporter';

const app = express();
app.post('/exports', async (_req, res) => {
  await exportAll();
  res.sendStatus(202);
});
app.listen(3000);
`,
});

const released = `let exportRunning = false;

export async function exportAll() {
  if (!exportRunning) {
    exportRunning = true;
    try {
      await run('pg_dump', ['--table=orders']);
    } finally {
      exportRunning = false;
    }
  }
}`;

const releasedAfter = `let exportRunning = false;
let exportQueued = true;

export async function exportAll() {
  if (exportQueued && !exportRunning) {
    exportRunning = true;
    await run('pg_dump', ['--table=orders']);
    exportQueued = false;
    exportRunning = false;
  }
}`;

const onFirstUse = `let initialized = false;

export async function exportAll() {
  if (!initialized) {
    initialized = true;
    await run('pg_dump', ['--schema-only']);
  }
}`;

const retriedOnFailure = `let initialized = false;

export async function exportAll() {
  if (!initialized) {
    initialized = true;
    try {
      await run('pg_dump', ['--schema-only']);
    } catch (error) {
      initialized = false;
      throw error;
    }
  }
}`;

describe('a busy flag checked and taken in one condition', () => {
  it('given back in a finally, it is a lock (untyped and typed)', () => {
    const files = exportRoute(released);
    const result = untyped(files, 'src/exporter.ts');
    expect(result).toEqual(typed(files, 'src/exporter.ts'));
    expect(result).toEqual([
      '5:5 no-in-process-lock: `exportRunning` guards work only within this process; it is taken by POST /exports (src/server.ts:5). A request on another instance does not see it and runs the same work at the same time.',
    ]);
  });

  it('given back after the work, under a condition with another flag, it is a lock', () => {
    const files = exportRoute(releasedAfter);
    const result = untyped(files, 'src/exporter.ts');
    expect(result).toEqual(typed(files, 'src/exporter.ts'));
    expect(result.filter((finding) => finding.includes('no-in-process-lock'))).toEqual([
      '5:5 no-in-process-lock: `exportRunning` guards work only within this process; it is taken by POST /exports (src/server.ts:5). A request on another instance does not see it and runs the same work at the same time.',
    ]);
  });

  it('raised once on first use, or reset only by a failure, it stays quiet', () => {
    for (const guard of [onFirstUse, retriedOnFailure]) {
      const files = exportRoute(guard);
      const result = untyped(files, 'src/exporter.ts');
      expect(result).toEqual(typed(files, 'src/exporter.ts'));
      expect(result).toEqual([]);
    }
  });
});
