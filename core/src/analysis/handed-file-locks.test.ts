import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A registry of mutexes kept per file path, filled by a helper (`mutexFor(file)`) that a wrapper
// (`inTurn(file, work)`) calls, the wrapper itself called by the route's own helper (`appendChunk(file,
// …)`) with a path the route built by `path.join`: the path is handed on through two helpers'
// parameters before a lock is made for it. The file is on this instance's disk, so excluding this
// process's requests is all the exclusion it needs (whether the file belongs on local disk is the disk
// rule's business). The look-alike that stays reported: the same chain handed a request's account id.

afterAll(removeAnalysedProjects);

const rules = ['no-in-process-lock' as const];

const locks = `import { Mutex } from 'async-mutex';

const held = new Map<string, Mutex>();

function mutexFor(file: string): Mutex {
  let mutex = held.get(file);
  if (!mutex) {
    mutex = new Mutex();
    held.set(file, mutex);
  }
  return mutex;
}

export async function inTurn<T>(file: string, work: () => Promise<T>): Promise<T> {
  const mutex = mutexFor(file);
  const release = await mutex.acquire();
  try {
    return await work();
  } finally {
    release();
    if (!mutex.isLocked()) held.delete(file);
  }
}
`;

const server = (key: string) => `import express from 'express';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { inTurn } from './locks';

const app = express();
const chunkDir = path.resolve('chunks');

async function appendChunk(target: string, body: Buffer) {
  return inTurn(target, () => appendFile(target, body));
}

app.post('/uploads/:account/:name', express.raw(), async (req, res) => {
  const file = path.join(chunkDir, req.params.name);
  await appendChunk(${key}, req.body);
  res.sendStatus(204);
});
`;

describe('a registry of mutexes per file path, the path handed on through helpers', () => {
  it('quiet: the route builds the path, two helpers hand it on to the registry (untyped and typed)', () => {
    const files = { 'locks.ts': locks, 'server.ts': server('file') };
    expect(untyped(files, 'locks.ts', rules)).toEqual([]);
    expect(typed(files, 'locks.ts', rules)).toEqual([]);
  });

  it('the same chain handed the account id: a lock per account, reported (untyped and typed)', () => {
    const files = { 'locks.ts': locks, 'server.ts': server('req.params.account') };
    const expected = [
      '3:7 no-in-process-lock: `held` guards work only within this process; it is taken by POST /uploads/:account/:name (server.ts:13). A request on another instance does not see it and runs the same work at the same time.',
    ];
    expect(untyped(files, 'locks.ts', rules)).toEqual(expected);
    expect(typed(files, 'locks.ts', rules)).toEqual(expected);
  });
});
