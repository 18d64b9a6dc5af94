import type ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, type AnalysedFile } from '../testing/project-findings';
import type { RuleId } from '../types';

// Legacy services that keep their modules on a global namespace (`global.WIKI = { … }` at start-up,
// then `WIKI.system.export()` in any module without an import, as Wiki.js does; `global.db`,
// `global.storage` elsewhere): a call through the namespace runs what was assigned to it.

const RULES: RuleId[] = ['no-local-disk-write', 'no-blocking-request-work'];
afterAll(removeAnalysedProjects);

/** `line ruleId: callee on route` for each finding in `file`. */
function describeFindings(sourceFile: ts.SourceFile, findings: ReturnType<typeof analyzeSourceFile>): string[] {
  return findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1} ${finding.ruleId}: ${finding.data.callee} on ${finding.data.route}`);
}

function untyped(files: Record<string, string>, file: string): string[] {
  const { sourceFile, findings } = analyseUntyped(files, file, RULES);
  return describeFindings(sourceFile, findings);
}

function typed(files: Record<string, string>, file: string): string[] {
  const { sourceFile, findings } = analyseTyped(files, file, RULES);
  return describeFindings(sourceFile, findings);
}

const exporter = `const fs = require('fs');
module.exports = {
  status: 'idle',
  init() {
    return this;
  },
  exportAll(folder) {
    fs.writeFileSync(folder + '/pages.json', '[]');
  },
};
`;

/**
 * Wiki.js's shape: the namespace made at start-up, a member assigned by the server module from
 * `require(…).init()`, used by a router module that imports none of it.
 */
const wiki = {
  'index.js': `let APP = { kernel: require('./kernel') };
global.APP = APP;
APP.kernel.init();
`,
  'kernel.js': `module.exports = {
  init() {
    require('./server');
  },
};
`,
  'exporter.js': exporter,
  'server.js': `const express = require('express');
const app = express();
APP.exporter = require('./exporter').init();
app.use(require('./routes'));
app.listen(3000);
`,
  'routes.js': `const express = require('express');
const router = express.Router();
router.post('/export', (req, res) => {
  APP.exporter.exportAll(req.body.folder);
  res.sendStatus(202);
});
module.exports = router;
`,
};

const hazard = ['8 no-blocking-request-work: fs.writeFileSync on POST /export (routes.js:3)', '8 no-local-disk-write: fs.writeFileSync on POST /export (routes.js:3)'];

describe('a call through a global namespace', () => {
  it('Wiki.js: `global.APP = APP`, then `APP.exporter = require(…).init()` in the server module: the router reaches the write (untyped and typed)', () => {
    expect(untyped(wiki, 'exporter.js')).toEqual(hazard);
    expect(typed(wiki, 'exporter.js')).toEqual(hazard);
  });

  it('`global.storage = require(…)` and `globalThis.storage`: the module itself is the namespace', () => {
    const files = {
      ...wiki,
      'server.js': wiki['server.js'].replace("APP.exporter = require('./exporter').init();", "global.storage = require('./exporter');"),
      'routes.js': wiki['routes.js'].replace('APP.exporter.exportAll', 'storage.exportAll'),
    };
    expect(untyped(files, 'exporter.js')).toEqual(hazard);
    expect(typed(files, 'exporter.js')).toEqual(hazard);
    const viaGlobalThis = { ...files, 'server.js': files['server.js'].replace('global.storage', 'globalThis.storage') };
    expect(untyped(viaGlobalThis, 'exporter.js')).toEqual(hazard);
  });

  it('a member assigned by a start-up module that serves nothing (the kernel of Wiki.js: `WIKI.models = require(…).init()`)', () => {
    const files = {
      ...wiki,
      'kernel.js': wiki['kernel.js'].replace('  init() {\n', "  init() {\n    APP.exporter = require('./exporter').init();\n"),
      'server.js': wiki['server.js'].replace("APP.exporter = require('./exporter').init();\n", ''),
    };
    expect(untyped(files, 'exporter.js')).toEqual(hazard);
    expect(typed(files, 'exporter.js')).toEqual(hazard);
  });

  it('TypeScript: a global declared `any` in `declare global` and assigned at start-up (typed)', () => {
    const { 'server.js': server, ...rest } = wiki;
    const files = {
      ...rest,
      'globals.ts': `declare global {\n  var storage: any;\n}\nexport {};\n`,
      // In TypeScript `require` gives `any`: the checker knows only the ambient declaration.
      'server.ts': server.replace("APP.exporter = require('./exporter').init();", "globalThis.storage = require('./exporter');"),
      'routes.js': wiki['routes.js'].replace('APP.exporter.exportAll', 'storage.exportAll'),
    };
    expect(typed(files, 'exporter.js')).toEqual(hazard);
  });

  it('a member assigned as `global.APP.exporter = …`', () => {
    const files = { ...wiki, 'server.js': wiki['server.js'].replace('APP.exporter =', 'global.APP.exporter =') };
    expect(untyped(files, 'exporter.js')).toEqual(hazard);
  });
});

describe('quiet look-alikes', () => {
  it('the namespace is only used at start-up: nothing is on a request path', () => {
    const files = { ...wiki, 'routes.js': wiki['routes.js'].replace('  APP.exporter.exportAll(req.body.folder);\n', ''), 'server.js': wiki['server.js'] + `APP.exporter.exportAll('/tmp/boot');\n` };
    expect(untyped(files, 'exporter.js')).toEqual([]);
    expect(typed(files, 'exporter.js')).toEqual([]);
  });

  it('a global that is configuration or a constant table: reads reach no function', () => {
    const files = {
      'index.js': `global.config = require('./config.json');\nglobal.ROLES = { admin: 'admin', reader: 'reader' };\nrequire('./server');\n`,
      'config.json': '{ "port": 3000 }',
      'exporter.js': exporter,
      'server.js': `const express = require('express');
const app = express();
const exporter = require('./exporter');
app.post('/export', (req, res) => {
  if (req.user.role !== ROLES.admin) return res.sendStatus(403);
  res.json({ port: config.port, status: exporter.status });
});
app.listen(config.port);
`,
    };
    expect(untyped(files, 'exporter.js')).toEqual([]);
    expect(untyped(files, 'server.js')).toEqual([]);
  });

  it('a browser global (`window.APP = …`) is no server namespace', () => {
    const files = { ...wiki, 'index.js': wiki['index.js'].replace('global.APP = APP', 'window.APP = APP') };
    expect(untyped(files, 'exporter.js')).toEqual([]);
  });

  it('a module that declares its own `APP` does not read the global one', () => {
    const files = { ...wiki, 'routes.js': `const APP = { exporter: { exportAll() {} } };\n` + wiki['routes.js'] };
    expect(untyped(files, 'exporter.js')).toEqual([]);
    expect(typed(files, 'exporter.js')).toEqual([]);
  });
});

/** `line ruleId: message` of the findings in `file` (all rules), untyped and typed. */
function stateFindings(files: Record<string, string>, file: string): { untyped: string[]; typed: string[] } {
  const describe = ({ sourceFile, findings }: AnalysedFile): string[] =>
    findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1} ${finding.ruleId}: ${finding.message}`);
  return { untyped: describe(analyseUntyped(files, file)), typed: describe(analyseTyped(files, file)) };
}

const stateRoutes = (body: string): string => `const express = require('express');
const router = express.Router();
router.post('/login', (req, res) => {
${body}
  res.sendStatus(204);
});
module.exports = router;
`;

const stateServer = `const express = require('express');
const app = express();
app.use(require('./routes'));
app.listen(3000);
`;

describe('state kept on a global', () => {
  it('`global.onlineUsers = new Map()` and `global.stats = { logins: 0 }` written by a route that imports neither (typed and untyped)', () => {
    const files = {
      'index.js': `global.onlineUsers = new Map();\nglobal.stats = { logins: 0 };\nrequire('./server');\n`,
      'server.js': stateServer,
      'routes.js': stateRoutes(`  onlineUsers.set(req.body.id, Date.now());\n  stats.logins++;`),
    };
    const expected = [
      '1 no-in-memory-session: `onlineUsers` holds per-user state in this process; it is written by POST /login (routes.js:3). A second instance will not see it.',
      '2 no-in-memory-counter: `stats` counts in this process; it is changed by POST /login (routes.js:3). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(stateFindings(files, 'index.js')).toEqual({ untyped: expected, typed: expected });
  });

  it('quiet: a constant table and configuration on globals, only read by the route; a global written only at start-up', () => {
    const files = {
      'index.js': `global.ROLES = { admin: 'admin' };\nglobal.config = require('./config.json');\nglobal.boot = { startedAt: 0 };\nboot.startedAt = Date.now();\nrequire('./server');\n`,
      'config.json': '{ "limit": 5 }',
      'server.js': stateServer,
      'routes.js': stateRoutes(`  if (req.body.role !== ROLES.admin || config.limit < 1) return res.sendStatus(403);\n  res.set('x-started', String(boot.startedAt));`),
    };
    expect(stateFindings(files, 'index.js')).toEqual({ untyped: [], typed: [] });
  });
});
