import type * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { getRequestGraph } from '../index';
import { analyseTyped, analyseUntyped, describeFindings, removeAnalysedProjects } from '../testing/project-findings';

// Route modules a loader lists in a folder at start-up and registers one by one: each module with the
// export the registration reads is a route, labelled with the method and path read from the module.

afterAll(removeAnalysedProjects);

function untypedEntries(files: Record<string, string>, file: string): { entries: string[]; findings: string[] } {
  const { sourceFile, findings, root, index } = analyseUntyped(files, file);
  const graph = getRequestGraph(sourceFile, { projectIndex: index, projectRoot: root });
  const line = (node: ts.Node): number => node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1;
  return {
    entries: graph.entries.filter((entry) => !entry.label.includes('<settings.path>')).map((entry) => `${entry.label} (${graph.displayPath(entry.registration.getSourceFile().fileName)}:${line(entry.registration)})`),
    findings: describeFindings(sourceFile, findings),
  };
}

// A Fastify service whose loader imports every module of routes/ and reads `settings` and `handle` from it.
const LOADER = `import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export async function loadRoutes(server: any) {
  const folder = fileURLToPath(new URL('../routes', import.meta.url));
  for (const name of readdirSync(folder)) {
    const mod = await import(pathToFileURL(folder + '/' + name).href);
    const settings = mod.settings;
    if (!settings.path) continue;
    settings.path = \`\${mod.settings?.unversioned ? '' : '/v1'}\${settings.path}\`;
    server.route({ method: settings.verb.toUpperCase() as any, url: settings.path, handler: (req: any, reply: any) => mod.handle(req, reply) });
  }
}
`;
const SAVE_DRAFT = `const drafts = new Map<string, unknown>();

export const settings = { verb: 'post', path: '/drafts' };

export const handle = async (req: any, reply: any) => {
  drafts.set(req.body.id, req.body);
  reply.send({ saved: true });
};
`;
const HEALTH = `export const settings = { verb: 'get', path: '/health', unversioned: true };
export async function handle(req: any, reply: any) {
  reply.send({ ok: true });
}
`;
// Kept in the folder but switched off: no path, so the loader skips it.
const RETIRED = `import { writeFileSync } from 'node:fs';
export const settings = { verb: 'post' };
export const handle = async (req: any, reply: any) => {
  writeFileSync('/srv/exports/last.json', JSON.stringify(req.body));
  reply.send({});
};
`;
const FASTIFY_FILES = { 'src/loader.ts': LOADER, 'routes/saveDraft.ts': SAVE_DRAFT, 'routes/health.ts': HEALTH, 'routes/retired.ts': RETIRED };

describe('modules of a folder imported by a loop and registered with what they export', () => {
  it('untyped: each module is a route with the prefix the loop adds, registered where it writes its handler; a module without a path is not a route', () => {
    const result = untypedEntries(FASTIFY_FILES, 'routes/saveDraft.ts');
    expect(result.entries).toEqual(['GET /health (routes/health.ts:2)', 'POST /v1/drafts (routes/saveDraft.ts:5)']);
    expect(result.findings).toEqual([
      '1:7 no-in-memory-session: `drafts` holds application data in this process; it is written by POST /v1/drafts (routes/saveDraft.ts:5). A second instance will not see it.',
    ]);
    expect(untypedEntries(FASTIFY_FILES, 'routes/retired.ts').findings).toEqual([]);
  });

  it('typed: the same route, though the checker types the imported module `any`', () => {
    const { sourceFile, findings } = analyseTyped(FASTIFY_FILES, 'routes/saveDraft.ts');
    expect(describeFindings(sourceFile, findings)).toEqual([
      '1:7 no-in-memory-session: `drafts` holds application data in this process; it is written by POST /v1/drafts (routes/saveDraft.ts:5). A second instance will not see it.',
    ]);
    const retired = analyseTyped(FASTIFY_FILES, 'routes/retired.ts');
    expect(describeFindings(retired.sourceFile, retired.findings)).toEqual([]);
  });

  it('CommonJS Express: readdirSync over __dirname, require of each file, app[route.method](route.path, route.handler)', () => {
    const files = {
      'server/routes/index.js': `const fs = require('fs');
const path = require('path');
module.exports = function mount(app) {
  fs.readdirSync(__dirname).forEach((file) => {
    if (file === 'index.js') return;
    const route = require(path.join(__dirname, file));
    app[route.method]('/api' + route.path, route.handler);
  });
};
`,
      'server/routes/votes.js': `let votes = 0;
module.exports = {
  method: 'post',
  path: '/votes',
  handler(req, res) {
    votes += 1;
    res.json({ votes });
  },
};
`,
      'server/app.js': `const express = require('express');
const app = express();
require('./routes')(app);
app.listen(3000);
`,
    };
    const result = untypedEntries(files, 'server/routes/votes.js');
    expect(result.entries).toEqual(['POST /api/votes (server/routes/votes.js:5)']);
    expect(result.findings).toEqual([
      '1:5 no-in-memory-counter: `votes` counts in this process; it is changed by POST /api/votes (server/routes/votes.js:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ]);
  });

  it('a path the registration builds from the file name: the route is named by its module', () => {
    const files = {
      'app.js': `const express = require('express');
const fs = require('fs');
const path = require('path');
const app = express();
const dir = path.join(__dirname, 'handlers');
for (const file of fs.readdirSync(dir)) {
  app.post('/' + path.basename(file, '.js'), require(path.join(dir, file)));
}
app.listen(3000);
`,
      'handlers/tally.js': `const seen = {};
module.exports = (req, res) => {
  seen[req.body.user] = (seen[req.body.user] || 0) + 1;
  res.end();
};
`,
    };
    expect(untypedEntries(files, 'handlers/tally.js').entries).toEqual(['POST <handlers/tally.js> (handlers/tally.js:2)']);
  });
});

describe('look-alikes: folders loaded at start-up whose modules are no routes', () => {
  it('a migration runner, a command loader and a loader in a script register nothing', () => {
    const files = {
      'src/server.js': `const express = require('express');
const fs = require('fs');
const path = require('path');
const app = express();
const commands = {};
for (const file of fs.readdirSync(path.join(__dirname, 'commands'))) {
  const command = require(path.join(__dirname, 'commands', file));
  commands[command.name] = command;
}
async function migrate(db) {
  for (const file of fs.readdirSync(path.join(__dirname, 'migrations')).sort()) {
    const migration = require(path.join(__dirname, 'migrations', file));
    await migration.up(db);
  }
}
app.post('/run', (req, res) => res.json(Object.keys(commands)));
migrate(null).then(() => app.listen(3000));
`,
      'src/commands/purge.js': `const fs = require('fs');
module.exports = { name: 'purge', handler(req, res) { fs.rmSync('/srv/cache', { recursive: true }); res.end(); } };
`,
      'src/migrations/001-init.js': `const fs = require('fs');
exports.up = async () => { fs.writeFileSync('/srv/schema.lock', '1'); };
`,
      'scripts/seed.js': `const fs = require('fs');
const path = require('path');
const router = require('express').Router();
for (const file of fs.readdirSync(path.join(__dirname, 'fixtures'))) {
  const fixture = require(path.join(__dirname, 'fixtures', file));
  router.post(fixture.path, fixture.handler);
}
`,
      'scripts/fixtures/users.js': `const made = new Map();
module.exports = { path: '/users', handler(req, res) { made.set(req.body.id, req.body); res.end(); } };
`,
    };
    expect(untypedEntries(files, 'src/commands/purge.js').entries).toEqual(['POST /run (src/server.js:16)']);
    expect(untypedEntries(files, 'src/commands/purge.js').findings).toEqual([]);
    expect(untypedEntries(files, 'src/migrations/001-init.js').findings).toEqual([]);
    expect(untypedEntries(files, 'scripts/fixtures/users.js').findings).toEqual([]);
  });
});
