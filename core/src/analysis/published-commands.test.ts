import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile } from './analyze';
import { removeProject, writeProject } from '../testing/disk-project';
import { describeFindings, removeAnalysedProjects, untypedFindings as untyped } from '../testing/project-findings';
import type { RuleId } from '../types';

// A service whose package publishes its server as its command (round 31, test/real-world: a Koa file
// server whose `src/index.ts` starts with `#!/usr/bin/env node`, makes the app and its middleware, and
// is the package's `bin`), written here in a shape of our own. A `#!` file is a command-line tool, and
// what it registers serves no request, unless the package names it as its `bin` or `main`: then it is
// the service. The look-alike: the same file that the package does not publish (a fixture server a
// developer runs) stays a CLI.

afterAll(removeAnalysedProjects);

const SERVER = `#!/usr/bin/env node
import Koa from 'koa';

const pendingLogins: Record<string, { user: string }> = {};

export const app = new Koa();
app.use(async (ctx, next) => {
  if (ctx.path === '/login/start') pendingLogins[String(ctx.query.id)] = { user: String(ctx.query.user) };
  await next();
});
app.listen(8080);
`;

const project = (manifest: object) => ({ 'package.json': JSON.stringify({ name: 'file-server', ...manifest }), 'src/index.ts': SERVER });
const RULES: RuleId[] = ['no-in-memory-session'];
const FINDING = "4:7 no-in-memory-session: `pendingLogins` holds per-user state in this process; it is written by middleware for all routes (src/index.ts:7). A second instance will not see it.";

/** Typed, with the project on disk: the package.json is read where the file lives. */
function typed(files: Record<string, string>, file: string): string[] {
  const root = writeProject(files);
  try {
    const program = ts.createProgram([`${root}/${file}`], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true });
    const sourceFile = program.getSourceFile(`${root}/${file}`)!;
    return describeFindings(sourceFile, analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: RULES }));
  } finally {
    removeProject(root);
  }
}

describe('a `#!` file the package publishes as its command', () => {
  it('is the service: its middleware serves requests (untyped and typed)', () => {
    for (const manifest of [{ bin: { 'file-server': 'src/index.js' } }, { bin: './src/index.js' }, { main: 'src/index.ts' }]) {
      const files = project(manifest);
      expect(untyped(files, 'src/index.ts', RULES)).toEqual([FINDING]);
      expect(typed(files, 'src/index.ts')).toEqual([FINDING]);
    }
  });

  it('a `#!` file the package does not publish stays a command-line tool', () => {
    for (const manifest of [{}, { bin: { 'file-server': 'bin/cli.js' } }, { main: 'src/app.ts' }]) {
      const files = project(manifest);
      expect(untyped(files, 'src/index.ts', RULES)).toEqual([]);
      expect(typed(files, 'src/index.ts')).toEqual([]);
    }
  });
});

// The same, started by the package's `start` script (held-out round 35b, test/real-world: a WebRTC SFU's
// `server.js` opens with `#!/usr/bin/env node` and is what `"start": "… node server.js"` runs; its `main`
// names a library file).
describe("a `#!` file the package's start script runs with node", () => {
  it('is the service (untyped and typed)', () => {
    for (const scripts of [{ start: 'node src/index.js' }, { start: "DEBUG=${DEBUG:='*'} node --max-old-space-size=512 ./src/index.js" }]) {
      const files = project({ main: 'lib/index.js', scripts });
      expect(untyped(files, 'src/index.ts', RULES)).toEqual([FINDING]);
      expect(typed(files, 'src/index.ts')).toEqual([FINDING]);
    }
  });

  it('another script, or a start script running another file, leaves it a command-line tool', () => {
    for (const scripts of [{ dev: 'node src/index.js' }, { start: 'node dist/app.js' }, { start: 'nodemon src/index.js --watch src' }]) {
      const files = project({ main: 'lib/index.js', scripts });
      expect(untyped(files, 'src/index.ts', RULES)).toEqual([]);
      expect(typed(files, 'src/index.ts')).toEqual([]);
    }
  });
});
