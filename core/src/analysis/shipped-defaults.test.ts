import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A default the service ships (a skeleton settings file), copied into its settings folder under
// the same name when the process finds it missing: the copy holds the shipped content, nothing a
// user sent, and it is made once per process (round 34 of test/real-world: a dashboard's skeleton
// configuration), written here in a shape of our own. Look-alikes that stay reported: a template
// copied to a page the request names, and an upload copied into the settings folder.

afterAll(removeAnalysedProjects);

const files = {
  'settings.ts': `import { copyFileSync, existsSync, readFileSync } from 'fs';
import { join } from 'path';

export const SETTINGS_DIR = process.env.SETTINGS_DIR ?? join(process.cwd(), 'settings');

export function ensureDefault(name: string): void {
  const target = join(SETTINGS_DIR, name);
  if (!existsSync(target)) {
    const shipped = join(process.cwd(), 'defaults', name);
    copyFileSync(shipped, target);
  }
}

export function readSettings(name: string): string {
  ensureDefault(name);
  return readFileSync(join(SETTINGS_DIR, name), 'utf8');
}

export function newPage(title: string): void {
  const page = join(SETTINGS_DIR, 'pages', title);
  if (!existsSync(page)) copyFileSync(join(process.cwd(), 'defaults', 'page.md'), page);
}

export function keepUpload(upload: string, name: string): void {
  const target = join(SETTINGS_DIR, name);
  if (!existsSync(target)) copyFileSync(upload, target);
}
`,
  'app.ts': `import express from 'express';
import { keepUpload, newPage, readSettings } from './settings';

const app = express();
app.get('/settings/:name', (req, res) => {
  res.send(readSettings(req.params.name));
});
app.post('/pages/:title', (req, res) => {
  newPage(req.params.title);
  res.sendStatus(201);
});
app.post('/uploads/:name', (req, res) => {
  keepUpload(String(req.query.path), req.params.name);
  res.sendStatus(201);
});
app.listen(3000);
`,
};

const RULES = ['no-local-disk-write', 'no-blocking-request-work'];
const disk = (line: number, column: number, route: string) =>
  `${line}:${column} no-local-disk-write: \`copyFileSync\` writes to this instance's local disk on ${route}. Other instances will not find the file, and it is lost when this instance is replaced.`;
const sync = (line: number, column: number, callee: string, route: string) =>
  `${line}:${column} no-blocking-request-work: \`${callee}\` blocks the event loop on ${route}: while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.`;
const SETTINGS = 'GET /settings/:name (app.ts:5)';
const PAGES = 'POST /pages/:title (app.ts:8)';
const UPLOADS = 'POST /uploads/:name (app.ts:12)';
const EXPECTED = [
  sync(16, 10, 'readFileSync', SETTINGS),
  sync(21, 26, 'copyFileSync', PAGES),
  disk(21, 26, PAGES),
  sync(26, 28, 'copyFileSync', UPLOADS),
  disk(26, 28, UPLOADS),
];

describe('a default the service ships, copied into place under its own name when missing', () => {
  it('the copy is quiet; a template copied to a page the request names and an upload copied in stay reported (typed)', () => {
    expect(typedFindings(files, 'settings.ts', RULES)).toEqual(EXPECTED);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'settings.ts', RULES)).toEqual(EXPECTED);
  });
});
