import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Locks whose exclusion is whole with many instances (issue 12's lock precision pass): a lock kept
// per local file path, and a lock library around the refill of a copy its taker serves. Each beside
// the hazard of the same shape that stays reported.

afterAll(removeAnalysedProjects);

const rules = ['no-in-process-lock' as const];

describe('a lock kept per local file path', () => {
  const thumbnails = (key: string) => `import express from 'express';
import path from 'node:path';
import { renderThumbnail } from './render';

const app = express();
const thumbnailDir = path.resolve('thumbnails');
const renderLocks: Record<string, boolean> = {};

function whenFree(file: string, run: () => void) {
  if (!renderLocks.hasOwnProperty(file)) {
    renderLocks[file] = true;
    return setImmediate(run);
  }
  let tries = 0;
  const retry = setInterval(() => {
    if (!renderLocks.hasOwnProperty(file) || ++tries > 5) {
      renderLocks[file] = true;
      clearInterval(retry);
      setImmediate(run);
    }
  }, 200);
}

app.get('/thumbnails/:id', (req, res) => {
  const file = path.join(thumbnailDir, req.params.id + '.png');
  const key = ${key};
  whenFree(key, () => {
    renderThumbnail(req.params.id, file, (err: Error | null) => {
      delete renderLocks[key];
      if (err) return res.sendStatus(500);
      res.sendFile(file);
    });
  });
});
`;

  it('quiet: the key is a path on this instance’s disk, which no other instance can touch (untyped and typed)', () => {
    const files = { 'server.ts': thumbnails('path.join(thumbnailDir, req.params.id)') };
    expect(untyped(files, 'server.ts', rules)).toEqual([]);
    expect(typed(files, 'server.ts', rules)).toEqual([]);
  });

  it('the same lock kept per request id guards more than a file: reported (untyped and typed)', () => {
    const files = { 'server.ts': thumbnails('req.params.id') };
    const expected = [
      '7:7 no-in-process-lock: `renderLocks` guards work only within this process; it is taken by GET /thumbnails/:id (server.ts:24). A request on another instance does not see it and runs the same work at the same time.',
    ];
    expect(untyped(files, 'server.ts', rules)).toEqual(expected);
    expect(typed(files, 'server.ts', rules)).toEqual(expected);
  });
});

describe('a lock library around the refill of a copy the function taking it serves', () => {
  const quotas = (check: string, served: string) => `import express from 'express';
import AsyncLock from 'async-lock';
import { billing } from './billing';

const app = express();
const refills = new AsyncLock();
const quotas: Record<string, number> = {};
const loadedAt: Record<string, number> = {};

async function quotaOf(account: string) {
  if (!quotas[account] || loadedAt[account] < Date.now() - 60_000) {
    await refills.acquire(account, async () => {
      ${check}
      quotas[account] = await billing.requestQuota(account);
      loadedAt[account] = Date.now();
    });
  }
  ${served}
}

app.get('/quota/:account', async (req, res) => {
  res.json({ quota: await quotaOf(req.params.account) });
});
`;

  it('quiet: the callback first returns when another caller here refilled the copy; each instance keeps its own (untyped and typed)', () => {
    const files = { 'server.ts': quotas('if (quotas[account] && loadedAt[account] > Date.now() - 60_000) return;', 'return quotas[account];') };
    expect(untyped(files, 'server.ts', rules)).toEqual([]);
    expect(typed(files, 'server.ts', rules)).toEqual([]);
  });

  it('the same lock whose function serves nothing it fills: a run once per key, reported (untyped and typed)', () => {
    const files = { 'server.ts': quotas('if (quotas[account] && loadedAt[account] > Date.now() - 60_000) return;', 'return true;') };
    const expected = [
      '6:17 no-in-process-lock: async-lock `refills` excludes only callers in this process; it is used by GET /quota/:account (server.ts:21). A request on another instance runs the guarded work at the same time.',
    ];
    expect(untyped(files, 'server.ts', rules)).toEqual(expected);
    expect(typed(files, 'server.ts', rules)).toEqual(expected);
  });

  it('the same lock without the opening check: reported (untyped and typed)', () => {
    const files = { 'server.ts': quotas('await billing.reserve(account);', 'return quotas[account];') };
    const expected = [
      '6:17 no-in-process-lock: async-lock `refills` excludes only callers in this process; it is used by GET /quota/:account (server.ts:21). A request on another instance runs the guarded work at the same time.',
    ];
    expect(untyped(files, 'server.ts', rules)).toEqual(expected);
    expect(typed(files, 'server.ts', rules)).toEqual(expected);
  });
});
