import { afterAll, describe, expect, it } from 'vitest';
import { findCompilerConfig, Project } from './project';
import { removeProject, writeProject } from './testing/disk-project';

const roots: string[] = [];
afterAll(() => roots.forEach(removeProject));

function project(files: Record<string, string>): string {
  const root = writeProject(files);
  roots.push(root);
  return root;
}

/** A Next.js app in JavaScript: an `@/` alias, an App Router route handler, a .jsx page. */
const nextJsApp = {
  'package.json': '{ "name": "next-js-app", "private": true }',
  'lib/sessions.js': 'export const sessions = new Map();\n',
  'app/api/login/route.js': "import { sessions } from '@/lib/sessions';\n\nexport async function POST(request) {\n  const body = await request.json();\n  sessions.set(body.token, body.user);\n  return Response.json({ ok: true });\n}\n",
  'app/page.jsx': 'export default function Page() {\n  return <main>hi</main>;\n}\n',
  '.next/server/chunk.js': 'module.exports = {};\n',
  'node_modules/next/index.js': 'module.exports = {};\n',
};

function summary(root: string): { files: string[]; findings: string[] } {
  const p = new Project(root);
  return {
    files: p.sourceFiles().map((file) => file.fileName.slice(root.length + 1)).sort(),
    findings: p.analyze().map(({ file, finding }) => `${file.fileName.slice(root.length + 1)} ${finding.ruleId} ${finding.message}`),
  };
}

describe('Project', () => {
  it('a JavaScript project with jsconfig.json: its paths resolve and .jsx files are part of it', () => {
    const root = project({ ...nextJsApp, 'jsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }' });
    expect(findCompilerConfig(root)).toBe(`${root}/jsconfig.json`);
    expect(summary(root)).toEqual({
      files: ['app/api/login/route.js', 'app/page.jsx', 'lib/sessions.js'],
      findings: [
        'lib/sessions.js no-in-memory-session `sessions` holds per-user state in this process; it is written by POST /api/login (app/api/login/route.js:3). A second instance will not see it.',
      ],
    });
  });

  it("a SvelteKit checkout before `svelte-kit sync`: the jsconfig's own options apply and `$lib` imports without an extension resolve, so the endpoint reaches the lock", () => {
    // (round 37b of test/real-world: a status page's jsconfig extends `./.svelte-kit/tsconfig.json`, which
    // SvelteKit writes at build time; TypeScript drops a config whose `extends` it cannot read.)
    const root = project({
      'package.json': '{ "name": "status", "type": "module", "dependencies": { "@sveltejs/kit": "2", "queue": "6" } }',
      'jsconfig.json': '{ "extends": "./.svelte-kit/tsconfig.json", "compilerOptions": { "allowJs": true, "checkJs": true, "moduleResolution": "bundler" } }',
      'src/lib/server/status.js': "import Queue from 'queue';\n\nconst statusQueue = new Queue({ concurrency: 1, autostart: true });\n\nexport const insertStatus = async (save) => {\n  statusQueue.push(async (cb) => {\n    await save();\n    cb();\n  });\n};\n",
      'src/routes/api/heartbeat/[tag]/+server.js': "import { insertStatus } from '$lib/server/status';\n\nexport async function POST({ params }) {\n  await insertStatus(async () => params.tag);\n  return new Response('ok');\n}\n",
    });
    expect(new Project(root).analyze(['no-in-process-lock']).map(({ file, finding }) => `${file.fileName.slice(root.length + 1)} ${finding.ruleId} ${finding.message}`)).toEqual([
      'src/lib/server/status.js no-in-process-lock queue `statusQueue` excludes only callers in this process; it is used by POST /api/heartbeat/[tag] (src/routes/api/heartbeat/[tag]/+server.js:3). A request on another instance runs the guarded work at the same time.',
    ]);
  });

  it('a tsconfig extending a preset of a workspace package, nothing installed: the preset is read where the workspace keeps it, so a folder index resolves and the crons the entry starts are found', () => {
    // (round 34 of test/real-world: a service whose own config sets only `target`; without its preset, TypeScript's
    // classic resolution left `import jobs from './jobs'` unresolved and the typed report missed the jobs it starts)
    const files = {
      'package.json': '{ "name": "site", "private": true }',
      'pnpm-workspace.yaml': 'packages:\n  - backend\n  - packages/*\n',
      'packages/typescript-config/package.json': '{ "name": "@site/typescript-config", "version": "1.0.0" }',
      'packages/typescript-config/base.json': '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true } }',
      'backend/package.json': '{ "name": "@site/backend", "dependencies": { "cron": "4.0.0", "express": "5.0.0" }, "devDependencies": { "@site/typescript-config": "workspace:*" } }',
      'backend/tsconfig.json': '{ "extends": "@site/typescript-config/base.json", "compilerOptions": { "target": "ES6" }, "include": ["src"] }',
      'backend/src/db.ts': "export async function deleteOlderThan(days: number): Promise<void> {\n  await fetch('http://db.internal/logs?olderThan=' + days, { method: 'DELETE' });\n}\n",
      'backend/src/jobs/delete-old-logs.ts': "import { CronJob } from 'cron';\nimport { deleteOlderThan } from '../db';\n\nexport default new CronJob('0 0 0 * * *', () => deleteOlderThan(30));\n",
      'backend/src/jobs/index.ts': "import deleteOldLogs from './delete-old-logs';\n\nexport default [deleteOldLogs];\n",
      'backend/src/app.ts': "import express from 'express';\n\nconst app = express();\napp.get('/health', (_req, res) => res.send('ok'));\nexport default app;\n",
      'backend/src/server.ts': "import jobs from './jobs';\nimport app from './app';\n\nasync function boot(port: number) {\n  jobs.forEach((job) => job.start());\n  return app.listen(port);\n}\n\nvoid boot(5005);\n",
    };
    const root = project(files);
    const findings = (dir: string): string[] => new Project(dir).analyze(['no-in-process-scheduler']).map(({ file, finding }) => `${file.fileName.slice(root.length + 1)} ${finding.ruleId}`);
    expect(findings(`${root}/backend/src`)).toEqual(['backend/src/jobs/delete-old-logs.ts no-in-process-scheduler']);
  });

  it('a project with neither tsconfig nor jsconfig is every source file under the root, without dependencies and build output', () => {
    const root = project({ ...nextJsApp, 'app/api/login/route.js': nextJsApp['app/api/login/route.js'].replace('@/lib/sessions', '../../../lib/sessions.js') });
    expect(findCompilerConfig(root)).toBeUndefined();
    const { files, findings } = summary(root);
    expect(files).toEqual(['app/api/login/route.js', 'app/page.jsx', 'lib/sessions.js']);
    expect(findings).toHaveLength(1);
  });

  it('a bundle of megabytes in the browser folder (an emscripten worker) is left out of the program; the service beside it is analysed', () => {
    const bundle = `var Module = {};\n${'Module.heap = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];\n'.repeat(50_000)}`;
    const root = project({ ...nextJsApp, 'app/api/login/route.js': nextJsApp['app/api/login/route.js'].replace('@/lib/sessions', '../../../lib/sessions.js'), 'www/js/worker-legacy.js': bundle, 'www/js/player.js': 'var player = {};\n' });
    expect(bundle.length).toBeGreaterThan(2_000_000);
    const { files, findings } = summary(root);
    expect(files).toEqual(['app/api/login/route.js', 'app/page.jsx', 'lib/sessions.js', 'www/js/player.js']);
    expect(findings).toHaveLength(1);
  });

  it('a tsconfig.json that leaves allowJs unset, in a JavaScript service with a few .ts files: the JavaScript is read too', () => {
    const service = {
      'package.json': '{ "name": "js-service", "private": true }',
      'server/index.js': "const express = require('express');\nconst { sessions } = require('./sessions');\n\nconst app = express();\napp.post('/login', (req, res) => {\n  sessions.set(req.body.token, req.body.user);\n  res.json({ ok: true });\n});\nmodule.exports = app;\n",
      'server/sessions.js': 'exports.sessions = new Map();\n',
      'scripts/completion.ts': 'export const words: string[] = [];\n',
    };
    const root = project({ ...service, 'tsconfig.json': '{}' });
    expect(summary(root)).toEqual({
      files: ['scripts/completion.ts', 'server/index.js', 'server/sessions.js'],
      findings: ['server/sessions.js no-in-memory-session `sessions` holds per-user state in this process; it is written by POST /login (server/index.js:5). A second instance will not see it.'],
    });
    // Said in so many words, it is TypeScript only.
    expect(summary(project({ ...service, 'tsconfig.json': '{ "compilerOptions": { "allowJs": false } }' })).files).toEqual(['scripts/completion.ts']);
  });

  it('a TypeScript project whose compiled .js files sit next to their sources stays TypeScript only', () => {
    const root = project({
      'tsconfig.json': '{}',
      'src/app.ts': 'export const a = 1;\n',
      'src/app.js': 'exports.a = 1;\n',
      'src/routes.ts': 'export const b = 2;\n',
      'src/routes.js': 'exports.b = 2;\n',
      'jest.config.js': 'module.exports = {};\n',
    });
    expect(summary(root).files).toEqual(['src/app.ts', 'src/routes.ts']);
  });

  it('a tsconfig.json above the folder counts only when it includes the folder’s files', () => {
    const root = project({
      'tsconfig.json': '{ "include": ["packages/api/src"] }',
      'packages/api/src/server.ts': 'export const a = 1;\n',
      'packages/web/package.json': '{}',
      'packages/web/index.js': 'export const b = 1;\n',
    });
    expect(findCompilerConfig(`${root}/packages/api`)).toBe(`${root}/tsconfig.json`);
    expect(findCompilerConfig(`${root}/packages/web`)).toBeUndefined();
    expect(summary(`${root}/packages/web`).files).toEqual(['index.js']);
  });
  it('a jsconfig.json above the folder is its project, the nearest config winning: a folder of a JavaScript service\'s modules is analysed with the entry module that starts them', () => {
    const root = project({
      'package.json': '{ "name": "hub", "dependencies": { "express": "4" } }',
      'server/jsconfig.json': '{ "compilerOptions": { "checkJs": true } }',
      'server/index.js': "const { serve } = require('./http');\nconst { startSync } = require('./lib/sync');\n\n(async () => {\n  startSync();\n  serve(8080);\n})();\n",
      'server/http.js': "const express = require('express');\n\nfunction serve(port) {\n  const app = express();\n  app.get('/', (req, res) => res.send('ok'));\n  app.listen(port);\n}\n\nmodule.exports = { serve };\n",
      'server/lib/sync.js': "const nodemailer = require('nodemailer');\nconst mail = nodemailer.createTransport({});\n\nfunction startSync() {\n  setInterval(() => mail.sendMail({ subject: 'digest' }), 60000);\n}\n\nmodule.exports = { startSync };\n",
      'tsconfig.json': '{ "include": ["scripts"] }',
    });
    expect(findCompilerConfig(`${root}/server/lib`)).toBe(`${root}/server/jsconfig.json`);
    expect(summary(`${root}/server/lib`).findings).toEqual([
      'sync.js no-in-process-scheduler `setInterval` runs in every instance of the web process: the job sends e-mail (`mail.sendMail`) every minute. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ]);
  });
  it('a solution-style tsconfig (no files, references) is the files of its referenced app configs, not of its spec config', () => {
    const root = project({
      'tsconfig.base.json': '{ "compilerOptions": { "strict": true, "experimentalDecorators": true } }',
      'apps/api/tsconfig.json': '{ "extends": "../../tsconfig.base.json", "files": [], "include": [], "references": [{ "path": "./tsconfig.app.json" }, { "path": "./tsconfig.spec.json" }] }',
      'apps/api/tsconfig.app.json': '{ "extends": "./tsconfig.json", "include": ["src/**/*.ts"], "exclude": ["src/**/*.spec.ts"] }',
      'apps/api/tsconfig.spec.json': '{ "extends": "./tsconfig.json", "include": ["src/**/*.spec.ts", "jest.config.ts"] }',
      'apps/api/src/main.ts': "import express from 'express';\nimport { sessions } from './sessions';\n\nconst app = express();\napp.post('/login', (req, res) => {\n  sessions.set(req.body.token, req.body.user);\n  res.end();\n});\n",
      'apps/api/src/sessions.ts': 'export const sessions = new Map<string, string>();\n',
      'apps/api/src/main.spec.ts': "import { sessions } from './sessions';\nsessions.set('a', 'b');\n",
      'apps/api/jest.config.ts': 'export default {};\n',
    });
    expect(findCompilerConfig(`${root}/apps/api`)).toBe(`${root}/apps/api/tsconfig.json`);
    const program = new Project(`${root}/apps/api`).getProgram();
    expect(program.getCompilerOptions().experimentalDecorators).toBe(true);
    expect(summary(`${root}/apps/api`)).toEqual({
      files: ['src/main.ts', 'src/sessions.ts'],
      findings: [
        'src/sessions.ts no-in-memory-session `sessions` holds per-user state in this process; it is written by POST /login (src/main.ts:5). A second instance will not see it.',
      ],
    });
  });

  it('a solution-style tsconfig whose only reference is a spec config is that config’s files', () => {
    const root = project({
      'tsconfig.json': '{ "files": [], "references": [{ "path": "./tsconfig.spec.json" }] }',
      'tsconfig.spec.json': '{ "include": ["src/**/*.ts"] }',
      'src/a.ts': 'export const a = 1;\n',
    });
    expect(summary(root).files).toEqual(['src/a.ts']);
  });

  it('a tsconfig.json that names no file and references none (a base the other configs extend) is every source file, as without one', () => {
    const root = project({
      'tsconfig.json': '{ "compilerOptions": { "strict": true, "module": "commonjs" }, "files": [] }',
      'tsconfig-backend.json': '{ "extends": "./tsconfig.json", "files": ["./src/util.ts"] }',
      'src/util.ts': 'export const version = 1;\n',
      'server/server.js': "const express = require('express');\nconst { remember } = require('./store');\n\nconst app = express();\napp.post('/login', (req, res) => {\n  remember(req.body.token, req.body.user);\n  res.end();\n});\n",
      'server/store.js': 'const sessions = new Map();\nexports.remember = (token, user) => sessions.set(token, user);\n',
    });
    expect(summary(root)).toEqual({
      files: ['server/server.js', 'server/store.js', 'src/util.ts'],
      findings: [
        'server/store.js no-in-memory-session `sessions` holds per-user state in this process; it is written by POST /login (server/server.js:5). A second instance will not see it.',
      ],
    });
  });

  it('two projects of one process share the declaration files they both read (TypeScript\'s libs, installed packages\' types), and each keeps its own sources', () => {
    const files = { 'tsconfig.json': '{ "compilerOptions": { "strict": true, "lib": ["ES2022"] } }', 'src/index.ts': 'export const sessions = new Map<string, string>();\n' };
    const first = new Project(project(files)).getProgram();
    const second = new Project(project(files)).getProgram();
    const declarations = (program: typeof first) => program.getSourceFiles().filter((file) => file.fileName.includes('/node_modules/'));
    expect(declarations(first).map((file) => file.fileName.replace(/.*\//, ''))).toContain('lib.es2022.d.ts');
    expect(declarations(second).every((file) => first.getSourceFile(file.fileName) === file)).toBe(true);
    const own = (program: typeof first) => program.getSourceFiles().find((file) => file.fileName.endsWith('/src/index.ts'));
    expect(own(second)).not.toBe(own(first));
  });

  describe('a monorepo checked out without its dependencies installed', () => {
    const monorepo = (route: string) => ({
      'package.json': '{ "name": "acme", "private": true }',
      'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - 'packages/*'\n",
      'apps/api/package.json': '{ "name": "@acme/api" }',
      'apps/api/tsconfig.json': '{ "extends": "@acme/tsconfig/base.json", "include": ["src"] }',
      'apps/api/src/server.ts': `import express from 'express';\nimport { sendInvite } from '@acme/mail';\n\nconst app = express();\napp.post('/invites', async (req, res) => {\n  ${route}\n  res.end();\n});\napp.listen(3000);\n`,
      'packages/mail/package.json': '{ "name": "@acme/mail", "main": "index.ts" }',
      'packages/mail/index.ts': "export * from './src';\n",
      'packages/mail/src/index.tsx': "import nodemailer from 'nodemailer';\n\nexport async function sendInvite(to: string) {\n  const transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });\n  await transport.sendMail({ to, subject: 'Join us' });\n}\n",
    });

    it('an import of a sibling package resolves to its source (also a .tsx one under a config whose extends is not installed)', () => {
      const root = project(monorepo('await sendInvite(req.body.email);'));
      const p = new Project(`${root}/apps/api`);
      expect(p.analyze().map(({ file, finding }) => `${file.fileName.slice(root.length + 1)} ${finding.ruleId} ${finding.message}`)).toEqual([
        'packages/mail/src/index.tsx no-blocking-request-work `transport.sendMail` holds the request open on POST /invites (src/server.ts:5) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
      ]);
    });

    it('quiet: the sibling package imported but not called by the route', () => {
      const root = project(monorepo('void sendInvite;'));
      expect(new Project(`${root}/apps/api`).analyze()).toEqual([]);
    });

    it('a package that is not one of the workspace stays unresolved (nothing of it is read)', () => {
      const files = monorepo('await sendInvite(req.body.email);');
      files['apps/api/src/server.ts'] = files['apps/api/src/server.ts'].replace('@acme/mail', '@other/mail');
      const root = project(files);
      const p = new Project(`${root}/apps/api`);
      expect(p.getProgram().getSourceFiles().filter((file) => file.fileName.startsWith(root)).map((file) => file.fileName.slice(root.length + 1))).toEqual(['apps/api/src/server.ts']);
      expect(p.analyze()).toEqual([]);
    });
  });
});

