import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A cap on the jobs this process runs at once (round 27 of test/real-world: a newsletter server's
// report workers, one at a time per process), written here in a shape of our own, with the
// look-alikes that stay counters: a seat count another route lowers, and a daily tally nothing lowers.

afterAll(removeAnalysedProjects);

describe('a count of the jobs this process runs, lowered when each ends, read against a cap', () => {
  const files = {
    'src/ffmpeg.ts': `import { spawn } from 'node:child_process';

export function renderVideo(videoId: string, onExit: (code: number | null) => void) {
  spawn('ffmpeg', ['-i', videoId + '.mov', videoId + '.mp4']).on('exit', onExit);
}
`,
    'src/renders.ts': `import { renderVideo } from './ffmpeg';

let runningRenders = 0;
const maxRenders = 2;
const waiting: string[] = [];

function startRender(videoId: string) {
  runningRenders++;
  renderVideo(videoId, function onExit() {
    runningRenders--;
    startNext();
  });
}

function startNext() {
  const next = waiting.shift();
  if (next && runningRenders < maxRenders) startRender(next);
}

export function queueRender(videoId: string) {
  waiting.push(videoId);
  console.log('queued', videoId, 'running', runningRenders);
  startNext();
}

let openSeats = 0;
const licensedSeats = 25;

export function takeSeat(): boolean {
  if (openSeats >= licensedSeats) return false;
  openSeats++;
  return true;
}

export function releaseSeat() {
  openSeats--;
}

let exportsToday = 0;

export async function exportReport(run: () => Promise<void>) {
  if (exportsToday >= 100) throw new Error('daily export limit reached');
  exportsToday++;
  await run();
}
`,
    'src/server.ts': `import express from 'express';
import { exportReport, queueRender, releaseSeat, takeSeat } from './renders';

const app = express();
app.post('/videos/:id/render', (req, res) => {
  queueRender(req.params.id);
  res.sendStatus(202);
});
app.post('/seats', (_req, res) => res.sendStatus(takeSeat() ? 201 : 409));
app.delete('/seats', (_req, res) => {
  releaseSeat();
  res.sendStatus(204);
});
app.post('/exports', async (_req, res) => {
  await exportReport(async () => undefined);
  res.sendStatus(201);
});
app.listen(3000);
`,
  };

  it('the running-job cap stays quiet; the seat count and the daily tally stay counters (untyped and typed)', () => {
    const expected = [
      '26:5 no-in-memory-counter: `openSeats` counts in this process; it is changed by POST /seats (src/server.ts:9) and 1 other route. Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
      '39:5 no-in-memory-counter: `exportsToday` counts in this process; it is changed by POST /exports (src/server.ts:14). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untyped(files, 'src/renders.ts')).toEqual(expected);
    expect(typed(files, 'src/renders.ts')).toEqual(expected);
  });
});
