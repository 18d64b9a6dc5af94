import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Issue 12's lock and session pass (branch `h-lock26`): a promise chain kept per key, each task
// started after the one before it for the same key, is a lock however it is written. Beside the
// same chain around a file on this instance's disk, which stays quiet.

afterAll(removeAnalysedProjects);

const rules = ['no-in-process-lock' as const, 'no-in-memory-session' as const, 'no-process-local-cache' as const];

describe('a promise chain per key', () => {
  const ledger = (route: string) => ({
    'server.ts': `import express from 'express';
import path from 'node:path';
import { appendFile } from 'node:fs/promises';
import { db } from './db';

const tails = new Map<string, Promise<unknown>>();

function inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  const next = previous.then(task, task);
  tails.set(key, next);
  return next.finally(() => {
    if (tails.get(key) === next) tails.delete(key);
  });
}

const app = express();
${route}
app.listen(3000);
`,
    'db.ts': `export const db: any = {};\n`,
  });

  it('reported: deposits to one account wait for each other only in this process (untyped and typed)', () => {
    const files = ledger(`app.post('/accounts/:id/deposits', async (req, res) => {
  await inTurn(req.params.id, async () => {
    const account = await db.accounts.findOne(req.params.id);
    await db.accounts.update(req.params.id, { balance: account.balance + Number(req.body.amount) });
  });
  res.sendStatus(204);
});`);
    const expected = [
      '6:7 no-in-process-lock: `tails` guards work only within this process; it is taken by POST /accounts/:id/deposits (server.ts:18). A request on another instance does not see it and runs the same work at the same time.',
    ];
    expect(untyped(files, 'server.ts', rules)).toEqual(expected);
    expect(typed(files, 'server.ts', rules)).toEqual(expected);
  });

  it('quiet: the same chain keyed by a file on this instance’s disk orders only its own appends (untyped and typed)', () => {
    const files = ledger(`app.post('/journals/:name', async (req, res) => {
  const file = path.join('/var/journals', req.params.name + '.log');
  await inTurn(file, () => appendFile(file, JSON.stringify(req.body) + '\\n'));
  res.sendStatus(204);
});`);
    expect(untyped(files, 'server.ts', rules)).toEqual([]);
    expect(typed(files, 'server.ts', rules)).toEqual([]);
  });
});
