import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeInstalledProjects, removeProject, writeInstalledProject, writeProject } from '../core/src/testing/disk-project';

// The built CLI (npm test builds first), as the `stateless` bin runs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('../server/dist/cli/main.js') as { main(argv: string[], out: (text: string) => void, err: (text: string) => void): number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeAll } = require('../server/dist/cli/write.js') as { writeAll(changes: { fileName: string; before: string | undefined; after: string }[], fs?: unknown): void };
const exampleDir = path.resolve(__dirname, '../examples/legacy-shop');

function runCli(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (text) => (out += text), (text) => (err += text));
  return { code, out, err };
}

describe('stateless CLI', () => {
  it('report --format json lists every finding of the example with its route', () => {
    const { code, out } = runCli(['report', exampleDir, '--format', 'json']);
    expect(code).toBe(0);
    const findings = JSON.parse(out) as { ruleId: string; path: string; line: number; column: number; route: string | null }[];
    expect(findings).toHaveLength(19);
    expect(findings.find((finding) => finding.ruleId === 'no-replica-read-after-write')).toEqual({
      ruleId: 'no-replica-read-after-write',
      path: 'src/routes/orders.ts',
      line: 72,
      column: 27,
      message: expect.stringContaining('`db.select()` reads from a read replica after `db.insert()` (src/routes/orders.ts:65)') as unknown as string,
      route: 'POST /orders',
    });
  }, 60_000);

  it('report --format sarif is SARIF 2.1.0 with one result per finding', () => {
    const sarif = JSON.parse(runCli(['report', exampleDir, '--format', 'sarif']).out) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number; startColumn: number } } }[] }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules.map((rule) => rule.id)).toEqual(['no-in-memory-session', 'no-local-disk-write', 'no-in-memory-counter', 'no-blocking-request-work', 'no-replica-read-after-write', 'no-in-process-scheduler', 'no-in-memory-pubsub', 'no-in-process-lock', 'no-process-local-cache']);
    expect(sarif.runs[0].results).toHaveLength(19);
    const replica = sarif.runs[0].results.find((result) => result.ruleId === 'no-replica-read-after-write')!;
    expect(replica.locations[0].physicalLocation.region).toMatchObject({ startLine: 72, startColumn: 27 });
  }, 60_000);

  it('report (markdown) groups by hazard and by route and names the adapters', () => {
    const { out } = runCli(['report', exampleDir]);
    expect(out.split('\n').slice(0, 3)).toEqual(['# Stateless report', '', '19 hazards in 13 files.']);
    expect(out).toContain('## By route');
    expect(out).toContain('- **POST /orders**: ');
    expect(out).toContain('- no-replica-read-after-write: none: read from the primary');
    expect(out).toContain('- no-in-memory-pubsub: pub/sub (Redis) / @socket.io/redis-adapter');
    expect(out).toContain('- no-in-process-scheduler: job scheduler (BullMQ) and worker / leader lock (Redis)');
  }, 60_000);

  it('report (markdown) names a database server, not the object store, for a database kept in a file; fix refuses it with the reason', () => {
    const dir = writeInstalledProject({
      'package.json': '{\n  "name": "notes"\n}\n',
      'src/app.js': `const express = require('express');
const fs = require('fs');
const Database = require('better-sqlite3');

const db = new Database('data/notes.db');
const app = express();
app.post('/notes', express.json(), (req, res) => {
  db.prepare('INSERT INTO notes (text) VALUES (?)').run(String(req.body.text));
  fs.writeFile('exports/last.txt', String(req.body.text), () => res.sendStatus(201));
});
app.listen(3000);
`,
    });
    const { out } = runCli(['report', dir]);
    expect(out.slice(out.indexOf('## Adapters the migration needs'))).toBe(
      '## Adapters the migration needs\n\n- no-local-disk-write: none: a database server every instance shares (PostgreSQL, MySQL)\n- no-local-disk-write: object store (S3)\n',
    );
    expect(runCli(['fix', dir]).err).toContain(
      "refused no-local-disk-write at src/app.js:5\n  Keep the data in a shared database server: the app's data is in a SQLite (better-sqlite3) file: moving it to a database server every instance shares (PostgreSQL, MySQL) changes the schema and the queries, which no adapter does for you\n",
    );
  }, 120_000);

  it('report and fix of a file analyse its project and keep to that file', () => {
    const file = path.join(exampleDir, 'src/routes/orders.ts');
    const findings = JSON.parse(runCli(['report', file, '--format', 'json']).out) as { ruleId: string; path: string; line: number; column: number }[];
    expect(findings.map((finding) => `${finding.path}:${finding.line}:${finding.column} ${finding.ruleId}`)).toEqual([
      'src/routes/orders.ts:20:5 no-in-memory-counter',
      'src/routes/orders.ts:24:7 no-in-process-lock',
      'src/routes/orders.ts:72:27 no-replica-read-after-write',
      'src/routes/orders.ts:117:19 no-blocking-request-work',
    ]);
    const { code, err } = runCli(['fix', file]);
    expect(code).toBe(0);
    expect(err.split('\n').filter((line) => /^(fixed|refused) /.test(line))).toEqual([
      'fixed no-in-memory-counter at src/routes/orders.ts:20',
      'fixed no-in-process-lock at src/routes/orders.ts:24',
      'fixed no-replica-read-after-write at src/routes/orders.ts:72',
      'fixed no-blocking-request-work at src/routes/orders.ts:117',
    ]);
    expect(runCli(['report', path.join(exampleDir, 'src/nope.ts')])).toEqual({ code: 2, out: '', err: 'no such file or directory: ' + path.join(exampleDir, 'src/nope.ts') + '\n' });
  }, 120_000);

  // From a real analytics API: `backend/apps/selfhosted` and `backend/apps/production` under one
  // tsconfig. Reporting the self-hosted app listed the production app's hazards too.
  it('report and fix of a folder whose config also compiles a sibling app keep to what the folder serves', () => {
    const sessions = (name: string) => `import express from 'express';
import { remember } from '../../libs/memo';
const ${name} = new Map<string, string>();
export const app = express();
app.post('/login', (req, res) => {
  ${name}.set(String(req.body.token), String(req.body.user));
  remember(String(req.body.user));
  res.sendStatus(204);
});
`;
    const dir = writeProject({
      'package.json': '{ "name": "analytics" }\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', esModuleInterop: true }, include: ['apps', 'libs'] }),
      'apps/selfhosted/app.ts': sessions('selfhostedSessions'),
      'apps/production/app.ts': sessions('productionSessions'),
      'libs/memo.ts': 'const seen = new Map<string, number>();\nexport function remember(user: string): void {\n  seen.set(user, (seen.get(user) ?? 0) + 1);\n}\n',
      'libs/unused.ts': 'const drafts = new Map<string, string>();\nexport function keep(id: string, text: string): void {\n  drafts.set(id, text);\n}\n',
    });
    const listed = (target: string) => (JSON.parse(runCli(['report', target, '--format', 'json']).out) as { ruleId: string; path: string; line: number }[]).map((finding) => `${finding.path}:${finding.line} ${finding.ruleId}`);
    expect(listed(path.join(dir, 'apps/selfhosted'))).toEqual(['../../libs/memo.ts:1 no-in-memory-counter', 'app.ts:3 no-in-memory-session']);
    expect(listed(dir)).toEqual(['libs/memo.ts:1 no-in-memory-counter', 'apps/production/app.ts:3 no-in-memory-session', 'apps/selfhosted/app.ts:3 no-in-memory-session']);
    const fixed = runCli(['fix', path.join(dir, 'apps/selfhosted')]).err.split('\n').filter((line) => /^(fixed|refused) /.test(line));
    expect(fixed.map((line) => line.replace(/ at .*/, ''))).toHaveLength(2);
    expect(fixed.some((line) => line.includes('production'))).toBe(false);
    removeProject(dir);
  }, 120_000);

  it('rejects bad arguments with the usage and exit code 2', () => {
    const { code, err } = runCli(['report', exampleDir, '--format', 'xml']);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe('unknown format: xml (md, json or sarif)');
    expect(runCli(['frobnicate']).code).toBe(2);
    expect(runCli(['fix', '/does/not/exist']).err).toBe('no such file or directory: /does/not/exist\n');
  });
});

const roots: string[] = [];
afterAll(() => {
  removeInstalledProjects();
  roots.forEach(removeProject);
});


/** Every file under dir (node_modules aside), relative path → text. */
function tree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  for (const entry of fs.readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (entry === 'node_modules') continue;
    if (fs.statSync(full).isDirectory()) walk(full);
    else files[entry] = fs.readFileSync(full, 'utf8');
  }
  return files;
}

const COMMONJS_APP = `const fs = require('node:fs');
const express = require('express');
const app = express();
const sessions = new Map();
app.post('/login', (req, res) => {
  sessions.set(req.body.token, { user: req.body.user });
  res.json({ ok: true });
});
app.get('/sessions', (req, res) => { const ids = []; sessions.forEach((session, sid, all) => ids.push(sid + ' of ' + all.size)); res.json(ids); });
app.post('/reports/:id', async (req, res) => {
  await fs.promises.writeFile(\`reports/\${req.params.id}.txt\`, String(req.body));
  res.status(201).end();
});
module.exports = { app };
`;

describe('stateless fix', () => {
  it('prints each fix with its hazard, files, packages and environment, each refusal with its reason, and a summary', () => {
    const dir = writeInstalledProject({ 'package.json': '{\n  "name": "reports"\n}\n', 'src/app.js': COMMONJS_APP });
    const before = tree(dir);
    const { code, out, err } = runCli(['fix', dir]);
    expect(code).toBe(0);
    expect(err).toBe(`fixed no-local-disk-write at src/app.js:11
  Keep the files in the object store (S3) instead (src/scaling/object-store.js)
  files: package.json, src/app.js, src/scaling/object-store.js (new)
  dependencies: @aws-sdk/client-s3@3.1169.0, @aws-sdk/lib-storage@3.1169.0
  environment: S3_ACCESS_KEY_ID, S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_SECRET_ACCESS_KEY
  removes \`const fs = require('node:fs')\` (src/app.js:1): \`fs\` has no use left after the fix
refused no-in-memory-session at src/app.js:4
  Move \`sessions\` to the Redis session store: \`sessions.forEach\` (src/app.js:9) has no counterpart in the Redis adapter
would write (run with --write) 3 files
1 fixed, 1 refused (\`sessions.forEach\` (src/app.js:9) has no counterpart in the Redis adapter)
`);
    expect(out).toContain(`--- a/src/app.js
+++ b/src/app.js
@@ -1,5 +1,5 @@
-const fs = require('node:fs');
 const express = require('express');
+const { objectStore } = require('./scaling/object-store');
 const app = express();
`);
    expect(out).toContain('--- /dev/null\n+++ b/src/scaling/object-store.js\n');
    // A dry run writes nothing.
    expect(tree(dir)).toEqual(before);
  }, 120_000);

  it('--write writes the fixed files, and Node loads them', () => {
    const dir = writeInstalledProject({ 'package.json': '{\n  "name": "reports"\n}\n', 'src/app.js': COMMONJS_APP });
    const { code, err } = runCli(['fix', dir, '--write']);
    expect(code).toBe(0);
    expect(err.split('\n').slice(-3)).toEqual(['wrote 3 files', '1 fixed, 1 refused (`sessions.forEach` (src/app.js:9) has no counterpart in the Redis adapter)', '']);
    expect(Object.keys(tree(dir)).sort()).toEqual(['package.json', 'src/app.js', 'src/scaling/object-store.js']);
    expect(execFileSync(process.execPath, ['-e', "console.log(typeof require('./src/app.js').app)"], { cwd: dir, encoding: 'utf8' })).toBe('function\n');
  }, 120_000);

  it('--write writes nothing when the fix would add a type error, and says which', () => {
    const dir = writeInstalledProject({
      'package.json': '{\n  "name": "reports"\n}\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] }, include: ['src'] }),
      // The fix streams from the store: a Readable, which has no `bytesRead` (an fs stream's).
      'src/app.ts': `import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
const UPLOAD_DIR = path.join(__dirname, 'uploads');
export const app = express();
app.post('/files/:name', (req, res) => {
  req.pipe(fs.createWriteStream(path.join(UPLOAD_DIR, req.params.name))).on('finish', () => res.status(201).end());
});
app.get('/files/:name', (req, res) => {
  const stream = fs.createReadStream(path.join(UPLOAD_DIR, req.params.name));
  stream.on('end', () => console.log(stream.bytesRead)).pipe(res);
});
`,
    });
    const before = tree(dir);
    const { code, err } = runCli(['fix', dir, '--write']);
    expect(code).toBe(0);
    expect(err).toBe(`refused no-local-disk-write at src/app.ts:7
  Keep the files in the object store (S3) instead (src/scaling/object-store.ts): it adds a type error: src/app.ts:11:45 TS2339 Property 'bytesRead' does not exist on type 'Readable'.
wrote 0 files
0 fixed, 1 refused (it adds a type error)
`);
    expect(tree(dir)).toEqual(before);
  }, 120_000);

  // A repository whose root tsconfig compiles the front end, with the API (and its admin service)
  // in folders of their own, each with its own tsconfig: `stateless fix .` fixes those too, and
  // the second adds its packages to the package.json the first one already changed.
  it('fixes the services that have a tsconfig of their own below the root, one after the other', () => {
    const counter = (route: string) => `import express from 'express';

export const app = express();
let visits = 0;

app.get('${route}', (req, res) => {
  visits++;
  res.json({ visits });
});
`;
    const options = { compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] }, include: ['src'] };
    const dir = writeInstalledProject({
      'package.json': '{\n  "name": "shop"\n}\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { ...options.compilerOptions, lib: ['ES2022', 'DOM'] }, include: ['web', 'shared'] }),
      'web/main.ts': "document.title = 'shop';\n",
      'shared/title.ts': "export const title = 'shop';\n",
      // The API takes in the shared folder the root lists too: it is a project of its own still.
      'api/tsconfig.json': JSON.stringify({ ...options, include: ['src', '../shared'] }),
      'api/src/app.ts': counter('/visits'),
      'admin/tsconfig.json': JSON.stringify(options),
      'admin/src/app.ts': counter('/admin/visits'),
      // Tests are no service, even with a config of their own.
      'test/tsconfig.json': JSON.stringify(options),
      'test/src/app.ts': counter('/test'),
    });
    const report = JSON.parse(runCli(['report', dir, '--format', 'json']).out) as { ruleId: string; path: string; line: number }[];
    expect(report.map((finding) => `${finding.path}:${finding.line} ${finding.ruleId}`)).toEqual(['admin/src/app.ts:4 no-in-memory-counter', 'api/src/app.ts:4 no-in-memory-counter']);
    const { code, err } = runCli(['fix', dir, '--write']);
    expect(code).toBe(0);
    expect(err.split('\n').slice(-3)).toEqual(['wrote 7 files', '2 fixed, 0 refused', '']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))).toEqual({ name: 'shop', dependencies: { ioredis: '^5.8.2' } });
    expect(fs.readFileSync(path.join(dir, 'api/src/app.ts'), 'utf8')).toContain("const visits = createCounter('visits');");
    expect(Object.keys(tree(dir)).filter((name) => name.includes('/scaling/')).sort()).toEqual(['admin/src/scaling/counter.ts', 'admin/src/scaling/redis.ts', 'api/src/scaling/counter.ts', 'api/src/scaling/redis.ts']);
    expect(runCli(['fix', dir]).err.split('\n').slice(-2)).toEqual(['0 fixed, 0 refused', '']);
  }, 240_000);

  // A JavaScript service in `server/` with no config of its own, beside the front end the root's
  // tsconfig compiles: `stateless report .` analyses it, and its adapters go in its own folder.
  // A script of the repository that calls a function the fix would make async keeps it as it is.
  it('analyses a service folder with no config beside the front end, and refuses to change what a script outside it calls', () => {
    const passwords = `const crypto = require('crypto');

function hashPassword(password, salt) {
  return crypto.pbkdf2Sync(password, salt, 100000, 64, 'sha512').toString('hex');
}

module.exports = { hashPassword };
`;
    const files = {
      'package.json': '{\n  "name": "shop"\n}\n',
      'tsconfig.json': JSON.stringify({ compilerOptions: { lib: ['ES2022', 'DOM'], strict: true }, include: ['web'] }),
      'web/main.ts': "document.title = 'shop';\n",
      'server/passwords.js': passwords,
      'server/app.js': `const express = require('express');
const { hashPassword } = require('./passwords');

const app = express();
app.use(express.json());
let signups = 0;

app.post('/users', (req, res) => {
  const hash = hashPassword(req.body.password, req.body.email);
  signups++;
  res.status(201).json({ hash, signups });
});

app.listen(3000);
`,
      // A browser folder the root's config does not list either: it starts no server, so it is no project.
      'public/js/menu.js': "document.querySelector('nav').addEventListener('click', () => fetch('/users', { method: 'POST' }));\n",
      // A test is the test's to update.
      'test/passwords.test.js': "const { hashPassword } = require('../server/passwords');\nconsole.assert(hashPassword('a', 'b').length === 128);\n",
    };
    const withScript = writeInstalledProject({ ...files, 'scripts/reset-password.js': "const { hashPassword } = require('../server/passwords');\n\nconsole.log(hashPassword(process.argv[2], process.argv[3]));\n" });
    const report = JSON.parse(runCli(['report', withScript, '--format', 'json']).out) as { ruleId: string; path: string; line: number; column: number; route: string }[];
    expect(report.map((finding) => `${finding.path}:${finding.line}:${finding.column} ${finding.ruleId} ${finding.route}`)).toEqual(['server/passwords.js:4:10 no-blocking-request-work POST /users', 'server/app.js:6:5 no-in-memory-counter POST /users']);
    const refused = runCli(['fix', withScript, '--write']);
    expect(refused.err.split('\n').slice(-5)).toEqual([
      'refused no-blocking-request-work at server/passwords.js:4',
      '  Take the work off the request: `hashPassword` is also used by `../scripts/reset-password.js`, which is outside the project the fix rewrites and would get a promise from it',
      'wrote 4 files',
      '1 fixed, 1 refused (`hashPassword` is also used by `../scripts/reset-password.js`, which is outside the project the fix rewrites and would get a promise from it)',
      '',
    ]);
    expect(refused.err).toContain('  files: package.json, server/app.js, server/scaling/counter.js (new), server/scaling/redis.js (new)\n');
    expect(fs.readFileSync(path.join(withScript, 'server/passwords.js'), 'utf8')).toBe(passwords);

    const alone = writeInstalledProject(files);
    const { code, err } = runCli(['fix', alone, '--write']);
    expect(code).toBe(0);
    expect(err.split('\n').slice(-6)).toEqual(['fixed no-blocking-request-work at server/passwords.js:4', '  Use the async API: `promisify(crypto.pbkdf2)`', '  files: server/app.js, server/passwords.js', 'wrote 5 files', '2 fixed, 0 refused', '']);
    expect(Object.keys(tree(alone)).filter((name) => name.includes('/scaling/'))).toEqual(['server/scaling/counter.js', 'server/scaling/redis.js']);
    expect(fs.readFileSync(path.join(alone, 'server/passwords.js'), 'utf8')).toContain('async function hashPassword(password, salt) {');
  }, 120_000);

  // No config at all: a JavaScript service in `server/` beside its front end in `client/`, one
  // package.json at the root. A Dockerfile that copies `./server` must find the adapters there too.
  it('puts the adapters of a service with no config in the folder of the server that starts', () => {
    const dir = writeInstalledProject({
      'package.json': '{\n  "name": "speed",\n  "dependencies": {\n    "express": "^4.21.2"\n  }\n}\n',
      'client/src/main.js': "document.querySelector('#run').addEventListener('click', () => fetch('/api/runs', { method: 'POST' }));\n",
      'server/index.js': "const app = require('./app');\n\napp.listen(process.env.PORT || 5216);\n",
      'server/app.js': `const fs = require('fs');
const path = require('path');
const express = require('express');

const app = express();
app.use(express.json());

app.post('/api/results/:name', async (req, res) => {
  await fs.promises.writeFile(path.join(__dirname, 'results', req.params.name), JSON.stringify(req.body));
  res.status(201).end();
});

app.get('/api/results/:name', (req, res) => {
  res.sendFile(path.join(__dirname, 'results', req.params.name));
});

let runs = 0;

app.post('/api/runs', (req, res) => {
  runs++;
  res.json({ runs });
});

module.exports = app;
`,
    });
    const { code, err } = runCli(['fix', dir, '--write']);
    expect(code).toBe(0);
    expect(err.split('\n').slice(-3)).toEqual(['wrote 5 files', '2 fixed, 0 refused', '']);
    // The object store's adapter, written by the first fix, starts no server of the service: the second fix's folder is the same.
    expect(Object.keys(tree(dir)).filter((name) => name.includes('/scaling/'))).toEqual(['server/scaling/counter.js', 'server/scaling/object-store.js', 'server/scaling/redis.js']);
    expect(fs.readFileSync(path.join(dir, 'server/app.js'), 'utf8')).toContain("require('./scaling/counter')");
  }, 120_000);

  // express-generator's layout: `bin/www` (no extension) starts the server, so no source file does.
  // The object store's adapter a first fix writes serves files, and is no server of the service: a
  // later fix puts its adapter beside it, not in a folder inside it.
  it('keeps every adapter in one folder when a fix has already written the object store', () => {
    const dir = writeInstalledProject({
      'package.json': '{\n  "name": "shelf",\n  "dependencies": {\n    "express": "^4.21.2"\n  }\n}\n',
      'bin/www': "#!/usr/bin/env node\nrequire('../app').listen(3000);\n",
      'app.js': `const fs = require('fs');
const path = require('path');
const express = require('express');

const app = express();
app.use(express.json());

app.post('/exports/:name', async (req, res) => {
  await fs.promises.writeFile(path.join(__dirname, 'exports', req.params.name), JSON.stringify(req.body));
  res.status(201).end();
});

app.get('/exports/:name', (req, res) => {
  res.sendFile(path.join(__dirname, 'exports', req.params.name));
});

let downloads = 0;

app.get('/downloads', (req, res) => {
  downloads++;
  res.json({ downloads });
});

module.exports = app;
`,
    });
    const { code, err } = runCli(['fix', dir, '--write']);
    expect(code).toBe(0);
    expect(err.split('\n').slice(-3)).toEqual(['wrote 5 files', '2 fixed, 0 refused', '']);
    expect(Object.keys(tree(dir)).filter((name) => name.includes('/scaling/'))).toEqual(['src/scaling/counter.js', 'src/scaling/object-store.js', 'src/scaling/redis.js']);
  }, 120_000);

  // lets-chat's shape: Express 4 comes in through express.oi, which the package.json lists instead
  // of express. A handler made async is still wrapped, so its errors reach the error handler, and
  // the diff prints removed lines before the lines that replace them, as git does.
  it('wraps a handler made async when Express comes in through a package built on it, and prints the diff as git does', () => {
    const dir = writeProject({
      'package.json': '{\n  "name": "chat",\n  "dependencies": {\n    "express.oi": "0.0.21"\n  }\n}\n',
      'app.js': "var express = require('express.oi');\nvar controllers = require('./app/photos');\n\nvar app = express();\napp.http().io();\ncontrollers.call({ app: app });\napp.listen(5000);\n",
      'app/photos.js': `var fs = require('fs');
var path = require('path');

module.exports = function() {
    var app = this.app;

    app.get('/photos', function(req, res) {
        var images = fs.readdirSync(path.resolve('media/img/photos'));
        res.json(images);
    });
};
`,
    });
    roots.push(dir);
    const { code, out } = runCli(['fix', dir]);
    expect(code).toBe(0);
    expect(out).toBe(`--- a/app/photos.js
+++ b/app/photos.js
@@ -1,11 +1,12 @@
 var fs = require('fs');
 var path = require('path');
+const { forwardErrors } = require('../src/scaling/express-errors');
 
 module.exports = function() {
     var app = this.app;
 
-    app.get('/photos', function(req, res) {
-        var images = fs.readdirSync(path.resolve('media/img/photos'));
+    app.get('/photos', forwardErrors(async function(req, res) {
+        var images = await fs.promises.readdir(path.resolve('media/img/photos'));
         res.json(images);
-    });
+    }));
 };
--- /dev/null
+++ b/src/scaling/express-errors.js
@@ -0,0 +1,14 @@
+// Generated by Stateless: Express 4 does not hand a rejected promise to the error handler (Express 5 does), so a handler a fix made async is wrapped to keep its errors going there. Yours to edit.
+function forwardErrors(handler) {
+  const run = handler;
+  const forwarded = run.length >= 4
+    ? function (error, req, res, next) {
+      Promise.resolve(run.call(this, error, req, res, next)).catch(next);
+    }
+    : function (req, res, next) {
+      Promise.resolve(run.call(this, req, res, next)).catch(next);
+    };
+  return forwarded;
+}
+
+module.exports = { forwardErrors };
`);
  }, 120_000);

  // `stateless fix api` where api/ has a tsconfig but the repository's package.json installs it:
  // the dependencies go to that package.json, not nowhere.
  it('adds the dependencies to the package.json above a project folder that has none of its own', () => {
    const dir = writeInstalledProject({
      'package.json': '{\n  "name": "shop"\n}\n',
      'api/tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'] }, include: ['src'] }),
      'api/src/app.ts': `import express from 'express';

export const app = express();
let visits = 0;

app.get('/visits', (req, res) => {
  visits++;
  res.json({ visits });
});
`,
    });
    const { code, err } = runCli(['fix', path.join(dir, 'api'), '--write']);
    expect(code).toBe(0);
    expect(err).toContain('  files: src/app.ts, src/scaling/counter.ts (new), src/scaling/redis.ts (new), ../package.json\n  dependencies: ioredis@^5.8.2\n');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'))).toEqual({ name: 'shop', dependencies: { ioredis: '^5.8.2' } });
  }, 120_000);

  it('writes all files or none: a failed rename puts back the files already written', () => {
    const dir = writeInstalledProject({ 'a.txt': 'a before\n', 'b.txt': 'b before\n' });
    const changes = [
      { fileName: path.join(dir, 'a.txt'), before: 'a before\n', after: 'a after\n' },
      { fileName: path.join(dir, 'new/c.txt'), before: undefined, after: 'c\n' },
      { fileName: path.join(dir, 'b.txt'), before: 'b before\n', after: 'b after\n' },
    ];
    let renames = 0;
    const failing = {
      ...fs,
      renameSync: (from: string, to: string) => {
        if (++renames === 3) throw new Error('disk full');
        fs.renameSync(from, to);
      },
    };
    expect(() => writeAll(changes, failing)).toThrow('disk full');
    expect(tree(dir)).toEqual({ 'a.txt': 'a before\n', 'b.txt': 'b before\n' });
    writeAll(changes);
    expect(tree(dir)).toEqual({ 'a.txt': 'a after\n', 'b.txt': 'b after\n', 'new/c.txt': 'c\n' });
  });
});

// The last line names each kind of refusal once: a reason up to its first clause, and a quote of
// code whose own text holds a colon (a log line in a template literal) is not cut in the middle.
describe('fix summary line', () => {
  it('cuts each reason after its first clause, outside the code it quotes', async () => {
    const { fixReport } = await import('../server/src/cli/main');
    const refused = (reason: string) => ({ ruleId: 'no-local-disk-write' as const, fileName: '/p/src/a.ts', line: 3, title: 'Keep the files in the object store (S3)', reason });
    const text = fixReport(
      {
        applied: [],
        refused: [
          refused('`log(`saved: ${file}`)` (src/a.ts:4) passes the same files to a function the fix cannot follow'),
          refused('the path names no folder or path function, so the other uses of the same files cannot be found'),
          refused('only a Map can move: `x` is a Set; use a Map'),
        ],
      },
      (fileName) => fileName.replace('/p/', ''),
      0,
      false,
    );
    expect(text.split('\n').at(-2)).toBe('0 fixed, 3 refused (`log(`saved: ${file}`)` (src/a.ts:4) passes the same files to a function the fix cannot follow; the path names no folder or path function, so the other uses of the same files cannot be found; only a Map can move)');
  });
});
