import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A record file of the service's own, at a place its code fixes, seeded with fixed content
// (`{ entries: [] }`) when the process finds it missing: nothing a user sent is in it, and the seed is
// written once per process, as a folder made when missing is. The writes that put the request's data
// into it stay reported. Look-alikes that stay reported: a file created when missing at a path the
// request names (a new page), and a file seeded with content the code draws (a key).

afterAll(removeAnalysedProjects);

const files = {
  'store.ts': `import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';

const DATA_DIR = process.env.DATA_DIR || process.cwd();

export class Registry {
  static recordPath = path.join(DATA_DIR, 'data', 'entries.json');

  constructor() {
    if (!fs.existsSync(Registry.recordPath)) {
      const empty = { entries: [] };
      fs.writeFileSync(Registry.recordPath, JSON.stringify(empty, null, 2));
    }
  }

  add(entry: string) {
    const entries = JSON.parse(fs.readFileSync(Registry.recordPath, 'utf-8')).entries;
    entries.push(entry);
    fs.writeFileSync(Registry.recordPath, JSON.stringify({ entries }));
  }
}

export function createPage(name: string) {
  const pagePath = path.join(DATA_DIR, 'pages', name + '.md');
  if (!fs.existsSync(pagePath)) fs.writeFileSync(pagePath, '# New page');
}

export function signingKey() {
  const keyFile = path.join(DATA_DIR, 'key');
  if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, crypto.randomBytes(32));
  return fs.readFileSync(keyFile);
}
`,
  'app.ts': `import express from 'express';
import { Registry, createPage, signingKey } from './store';

const app = express();
app.post('/entries', express.json(), (req, res) => {
  const registry = new Registry();
  registry.add(String(req.body.entry));
  res.sendStatus(201);
});
app.post('/pages/:name', (req, res) => {
  createPage(req.params.name);
  res.sendStatus(201);
});
app.get('/key', (req, res) => {
  res.send(signingKey().length);
});
app.listen(3000);
`,
};

const RULES = ['no-local-disk-write', 'no-blocking-request-work'];
const disk = (line: number, column: number, route: string) =>
  `${line}:${column} no-local-disk-write: \`fs.writeFileSync\` writes to this instance's local disk on ${route}. Other instances will not find the file, and it is lost when this instance is replaced.`;
const sync = (line: number, column: number, callee: string, route: string) =>
  `${line}:${column} no-blocking-request-work: \`${callee}\` blocks the event loop on ${route}: while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.`;
const ENTRIES = 'POST /entries (app.ts:5)';
const PAGES = 'POST /pages/:name (app.ts:10)';
const KEY = 'GET /key (app.ts:14)';
const EXPECTED = [
  sync(18, 32, 'fs.readFileSync', ENTRIES),
  sync(20, 5, 'fs.writeFileSync', ENTRIES),
  disk(20, 5, ENTRIES),
  sync(26, 33, 'fs.writeFileSync', PAGES),
  disk(26, 33, PAGES),
  sync(31, 32, 'fs.writeFileSync', KEY),
  disk(31, 32, KEY),
  sync(32, 10, 'fs.readFileSync', KEY),
];

describe('a file of the service seeded with fixed content when missing', () => {
  it('the seed is quiet; the writes of request data, a page the request names and a drawn key stay reported (typed)', () => {
    expect(typedFindings(files, 'store.ts', RULES)).toEqual(EXPECTED);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'store.ts', RULES)).toEqual(EXPECTED);
  });
});
