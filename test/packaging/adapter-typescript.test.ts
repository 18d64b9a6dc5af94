// The adapter modules as a fix leaves them in a user's TypeScript project: written, not yet
// installed (the fix adds their packages to package.json; `npm install` comes after), compiled by
// the user's own TypeScript against the user's own @types. The fix's type check runs Stateless's
// TypeScript, so a template that only compiles with the newest one (or only with its packages
// installed) passes there and breaks the user's build: an Express 4 handler wrapped in
// `forwardErrors` lost its route's types under TypeScript before 5.9.
//
// Needs the registry (npm install of typescript and @types only).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(__dirname, '../..');
const adapterSources = path.join(repoRoot, 'adapters/src');

/** The user's routes, written as Express 4 users write them, after a fix made three handlers async. */
const ROUTES_TS = `import { Router, type Request, type Response, type NextFunction } from 'express';
import { forwardErrors } from './scaling/express-errors';

const router = Router();
const controller = {
  async list(_req: Request, res: Response) {
    res.json([]);
  },
};

router.get('/patients/:id/documents/:doc', forwardErrors(async (req, res) => {
  const name: string = req.params.doc;
  res.json({ name });
}));
router.post('/patients/:id/check-in', forwardErrors(async (req, res) => {
  res.status(201).json({ desk: req.body.desk, id: req.params.id });
}));
router.get('/patients', forwardErrors(controller.list));
router.use(forwardErrors(async (error: unknown, _req: Request, res: Response, next: NextFunction) => {
  res.status(500).json({ error: String(error) });
  next();
}));

export default router;
`;

const TSCONFIG = { compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['src'] };

/** The packages the templates import and a fix adds, not installed yet: their imports are the only errors allowed. */
const ADDED_PACKAGES = /^Cannot find module '(?:ioredis|bullmq|@aws-sdk\/[\w-]+|@socket\.io\/redis-adapter)' /;

/** Templates fixes write only into JavaScript projects: socket.io 2's adapter (socket.io-redis ships no types; a TypeScript file on socket.io 2 is refused). */
const JAVASCRIPT_ONLY = new Set(['socket-io-v2.ts']);

interface Line {
  name: string;
  packages: string[];
}

const LINES: Line[] = [
  { name: 'TypeScript 5.4 (the lowest supported), @types/node 18, @types/express 4.17', packages: ['typescript@~5.4.0', '@types/node@~18.19.0', '@types/express@4.17.21'] },
  { name: 'TypeScript 5.9, an older @types/node 20 (Buffer declared against another ArrayBuffer), @types/express 4.17', packages: ['typescript@5.9.3', '@types/node@20.14.10', '@types/express@4.17.21'] },
  { name: 'TypeScript 6.0, @types/node 20.19, @types/express 4.17', packages: ['typescript@~6.0.0', '@types/node@~20.19.0', '@types/express@4.17.21'] },
];

const created: string[] = [];
afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

function project(line: Line): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stateless-adapter-ts-'));
  created.push(dir);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'user-app', private: true }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', ...line.packages], { cwd: dir, stdio: 'pipe', timeout: 300_000 });
  mkdirSync(path.join(dir, 'src/scaling'), { recursive: true });
  for (const name of readdirSync(adapterSources).filter((file) => file.endsWith('.ts') && !JAVASCRIPT_ONLY.has(file))) {
    writeFileSync(path.join(dir, 'src/scaling', name), readFileSync(path.join(adapterSources, name), 'utf8'));
  }
  writeFileSync(path.join(dir, 'src/scaling/jobs.ts'), 'export const jobs = {};\n');
  writeFileSync(path.join(dir, 'src/routes.ts'), ROUTES_TS);
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  return dir;
}

/** `file(line,col): error TSnnnn: message` lines of the user's own tsc. */
function compile(dir: string): string[] {
  const result = spawnSync(process.execPath, [path.join(dir, 'node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  return result.stdout
    .split('\n')
    .filter((text) => / error TS\d+: /.test(text))
    .map((text) => text.trim());
}

describe('adapter modules compile in the user project, before npm install, with the TypeScript and @types the user has', () => {
  for (const line of LINES) {
    it(line.name, () => {
      const errors = compile(project(line));
      const unexpected = errors.filter((text) => !ADDED_PACKAGES.test(text.replace(/^.*? error TS2307: /, '')));
      expect(unexpected).toEqual([]);
      // The project did compile the templates: the packages a fix adds are missing, as they are before npm install.
      expect(errors.some((text) => text.includes("error TS2307: Cannot find module 'ioredis'"))).toBe(true);
    });
  }
});
