// Typed resolutions carried from one program to the next of a project (the editor's keystrokes):
// after every edit the findings equal those of a fresh program over the same texts.
import ts = require('typescript');
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { createProgram } from '../testing/program';
import { defaultConfig } from '../config';
import { buildRequestGraph, type CallLike } from './request-graph';
import { cachedNodes, cachedResolution, cachedValue, cachedVerdict, keptWhileFilesStay, lineageOf, programFilesWhere } from './resolution-cache';
import { getStartupReach } from './startup';

// No default library: resolution needs none, and a fresh program per check stays cheap.
const OPTIONS: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, noEmit: true, noLib: true, types: [] };

/** A language service over in-memory files, as the server keeps one per project. */
function service(files: Record<string, string>): { program(): ts.Program; edit(name: string, text: string): void } {
  const versions = new Map(Object.keys(files).map((name) => [name, 0]));
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => OPTIONS,
    getScriptFileNames: () => Object.keys(files),
    getScriptVersion: (name) => String(versions.get(name) ?? 0),
    getScriptSnapshot: (name) => (name in files ? ts.ScriptSnapshot.fromString(files[name]) : ts.sys.fileExists(name) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(name) ?? '') : undefined),
    getCurrentDirectory: () => '/',
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (name) => name in files || ts.sys.fileExists(name),
    readFile: (name) => files[name] ?? ts.sys.readFile(name),
  };
  const languageService = ts.createLanguageService(host, ts.createDocumentRegistry());
  return {
    program: () => languageService.getProgram()!,
    edit(name, text) {
      files[name] = text;
      versions.set(name, (versions.get(name) ?? 0) + 1);
    },
  };
}

function findings(program: ts.Program, files: Record<string, string>): string[] {
  return Object.keys(files).flatMap((name) =>
    analyzeSourceFile(program.getSourceFile(name)!, { program }).map((finding) => `${finding.fileName}:${finding.start} ${finding.ruleId} ${finding.message}`),
  );
}

/** The findings of the project's current program, asserted equal to a fresh program's over the same files. */
function carriedFindings(project: ReturnType<typeof service>, files: Record<string, string>): string[] {
  const carried = findings(project.program(), files);
  expect(carried).toEqual(findings(createProgram({ ...files }, OPTIONS), files));
  return carried;
}

describe('typed resolutions across programs of one project', () => {
  it('give the findings a fresh program gives, edit after edit', () => {
    const files: Record<string, string> = {
      '/app/routes.ts': "import express from 'express';\nimport { remember } from './helpers';\nconst app: any = (express as any)();\napp.post('/login', (req: any, res: any) => {\n  remember(req.body.id);\n  res.end();\n});\n",
      '/app/helpers.ts': "import { sessions } from './store';\nexport function remember(id: string) {\n  sessions.set(id, 'user');\n}\nexport function forget(id: string) {\n  sessions.delete(id);\n}\n",
      '/app/store.ts': 'export const sessions = new Map<string, string>();\nexport const other = new Map<string, string>();\n',
      '/app/unrelated.ts': 'export const answer = 42;\n',
    };
    const project = service(files);
    const check = (): string[] => carriedFindings(project, files);
    expect(check()).toHaveLength(1);
    // An edit elsewhere: everything carried over.
    project.edit('/app/unrelated.ts', 'export const answer = 43;\n');
    expect(check()).toHaveLength(1);
    // The helper stops writing: the finding goes.
    project.edit('/app/helpers.ts', "import { sessions } from './store';\nexport function remember(id: string) {\n  return sessions.get(id);\n}\n");
    expect(check()).toHaveLength(0);
    // The route now calls another export of an unchanged file's importer: resolved again.
    project.edit('/app/helpers.ts', "import { other } from './store';\nexport function remember(id: string) {\n  other.set(id, 'user');\n}\n");
    expect(check()).toEqual([expect.stringContaining('/app/store.ts:') as unknown as string]);
    project.edit('/app/routes.ts', files['/app/routes.ts'].replace("import { remember } from './helpers';", "import { remember as keep } from './helpers';").replace('remember(req.body.id)', 'keep(req.body.id)'));
    expect(check()).toHaveLength(1);
  }, 120_000);

  it('keep the importers of a file whose edit changes no name (comments, whitespace, template text), and drop them when it does', () => {
    const files: Record<string, string> = {
      '/app/routes.ts': "import { remember } from './helpers';\ndeclare const app: any;\napp.post('/login', (req: any, res: any) => {\n  remember(req.body.id);\n  res.end();\n});\n",
      '/app/helpers.ts': "import { sessions } from './store';\n// Keeps who logged in.\nexport const banner = `<p>hello</p>`;\nexport function remember(id: string) {\n  sessions.set(id, 'user');\n}\nexport function forget(id: string) {\n  return sessions.get(id);\n}\n",
      '/app/store.ts': 'export const sessions = new Map<string, string>();\n',
    };
    const project = service(files);
    const check = (): string[] => carriedFindings(project, files);
    const first = check();
    expect(first).toEqual([expect.stringContaining('/app/store.ts:') as unknown as string]);
    // A comment and a template's text: the finding stays, at the same place.
    project.edit('/app/helpers.ts', files['/app/helpers.ts'].replace('// Keeps who logged in.', '// Keeps who logged in, by id.').replace('<p>hello</p>', '<p>hello, world</p>'));
    expect(check()).toEqual(first);
    const routes = (): ts.SourceFile => project.program().getSourceFile('/app/routes.ts')!;
    expect(lineageOf(project.program()).carries(routes())).toBe(true);
    // Lines added above the function: its carried handler and targets point into a changed file.
    project.edit('/app/helpers.ts', `// header\n\n${files['/app/helpers.ts']}`);
    expect(check()).toEqual(first);
    // The exported names swap: the route now calls the function that only reads.
    project.edit('/app/helpers.ts', files['/app/helpers.ts'].replace('export function remember(id: string) {', 'export function forget(id: string) {').replace('export function forget(id: string) {\n  return', 'export function remember(id: string) {\n  return'));
    expect(check()).toEqual([]);
    expect(lineageOf(project.program()).carries(routes())).toBe(false);
  }, 120_000);

  it('carry the answers of an edited file outside the function body the edit is in, and follow inferred types into importers', () => {
    const files: Record<string, string> = {
      '/app/routes.ts': "import { make } from './factory';\nimport { audit } from './audit';\ndeclare const app: any;\napp.post('/login', (req: any, res: any) => {\n  make().run(req.body.id);\n  res.end();\n});\napp.post('/logout', (req: any, res: any) => {\n  audit(req.body.id);\n  res.end();\n});\n",
      '/app/factory.ts': "import { Writer, Reader } from './store';\nexport function make() {\n  return new Writer();\n}\nexport function unused(): Reader {\n  return new Reader();\n}\n",
      '/app/store.ts': "const sessions = new Map<string, string>();\nexport class Writer {\n  run(id: string) {\n    sessions.set(id, 'user');\n  }\n}\nexport class Reader {\n  run(id: string) {\n    return sessions.get(id);\n  }\n}\n",
      '/app/audit.ts': "const seen = new Map<string, number>();\nexport function audit(id: string): void {\n  const count = 1;\n  seen.get(id);\n}\n",
    };
    const project = service(files);
    const check = (): string[] => carriedFindings(project, files);
    const routes = (): ts.SourceFile => project.program().getSourceFile('/app/routes.ts')!;
    expect(check()).toEqual([expect.stringContaining('/app/store.ts:') as unknown as string]);
    // Typing in the body of a handler: the route file's other answers and its importers' are kept.
    project.edit('/app/routes.ts', files['/app/routes.ts'].replace('audit(req.body.id);', 'audit(req.body.id + 1);'));
    expect(check()).toHaveLength(1);
    // A body whose type is declared: the function now writes, found through the kept answer of its caller.
    project.edit('/app/audit.ts', files['/app/audit.ts'].replace('seen.get(id);', "seen.set(id, 2);"));
    expect(check()).toHaveLength(2);
    expect(lineageOf(project.program()).carries(routes())).toBe(true);
    // A name declared later in the same body: the edited body's own answers are not carried.
    project.edit('/app/audit.ts', files['/app/audit.ts'].replace('const count = 1;', 'const count = 1;\n  const seen = new Map<string, number>();'));
    expect(check()).toHaveLength(1);
    // A body that gives the function its type: importers follow the new return type.
    project.edit('/app/factory.ts', files['/app/factory.ts'].replace('return new Writer();', 'return new Reader();'));
    expect(check()).toEqual([]);
    expect(lineageOf(project.program()).carries(routes())).toBe(false);
  }, 120_000);

  it('re-resolve the importers of a changed re-export, whose targets did not change', () => {
    const files: Record<string, string> = {
      '/app/routes.ts': "import { remember } from './lib';\ndeclare const app: any;\napp.post('/login', (req: any, res: any) => {\n  remember(req.body.id);\n  res.end();\n});\n",
      '/app/lib/index.ts': "export { remember } from './writes';\n",
      '/app/lib/writes.ts': "const sessions = new Map<string, string>();\nexport function remember(id: string) {\n  sessions.set(id, 'user');\n}\n",
      '/app/lib/reads.ts': "const seen = new Map<string, string>();\nexport function remember(id: string) {\n  return seen.get(id);\n}\n",
    };
    const project = service(files);
    const check = (): string[] => carriedFindings(project, files);
    expect(check()).toEqual([expect.stringContaining('/app/lib/writes.ts:') as unknown as string]);
    project.edit('/app/lib/index.ts', "export { remember } from './reads';\n");
    expect(check()).toEqual([]);
    project.edit('/app/lib/index.ts', "export { remember } from './writes';\n");
    expect(check()).toHaveLength(1);
  }, 120_000);

  it('carry what was resolved in a file edited keystroke after keystroke, outside the body being typed in', () => {
    const routes = "declare const app: any;\nfunction remember(id: string) {\n  return id;\n}\napp.post('/login', (req: any, res: any) => {\n  const name = req.body.id;\n  res.end();\n});\nremember('x');\n";
    const files: Record<string, string> = { '/app/routes.ts': routes };
    const project = service(files);
    const call = (program: ts.Program): ts.CallExpression => {
      const file = program.getSourceFile('/app/routes.ts')!;
      const statement = file.statements[file.statements.length - 1] as ts.ExpressionStatement;
      return statement.expression as ts.CallExpression;
    };
    let resolved = 0;
    const resolve = (program: ts.Program) => (): readonly ts.Declaration[] => {
      resolved++;
      return program.getTypeChecker().getSymbolAtLocation(call(program).expression)?.declarations ?? [];
    };
    const first = project.program();
    expect(cachedResolution(first, call(first).expression, resolve(first)).map((d) => d.getText().slice(0, 17))).toEqual(['function remember']);
    // Typing in the handler, one key and then the next, as the bench does: each program carries the one before.
    for (const typed of ['const namex = req.body.id;', 'const namexy = req.body.id;', 'const name = req.body.id;']) {
      const before = project.program();
      project.edit('/app/routes.ts', routes.replace('const name = req.body.id;', typed));
      const program = project.program();
      // Asked with either program's file: the edited file is not one the lineage carries.
      expect(lineageOf(program).carries(before.getSourceFile('/app/routes.ts')!)).toBe(false);
      expect(lineageOf(program).carries(program.getSourceFile('/app/routes.ts')!)).toBe(false);
      const declarations = cachedResolution(program, call(program).expression, resolve(program));
      expect(declarations.map((d) => d.getSourceFile())).toEqual([program.getSourceFile('/app/routes.ts')]);
      expect(lineageOf(program).previousOf(call(program))).toBe(call(before));
    }
    expect(resolved).toBe(1);
    // A node in the body being typed in is no node of the previous program.
    const handlerBody = (program: ts.Program): ts.Node => ((call(program).getSourceFile().statements[2] as ts.ExpressionStatement).expression as ts.CallExpression).arguments[1];
    project.edit('/app/routes.ts', routes.replace('const name = req.body.id;', 'const nam = req.body.id;'));
    expect(lineageOf(project.program()).previousOf(handlerBody(project.program()))).toBeUndefined();
  }, 120_000);

  it('carry the statements of the body being typed in before the edited one, unless a name from the edited one on reaches back', () => {
    const routes = "import { Writer, Reader } from './store';\ndeclare const app: any;\napp.post('/login', (req: any, res: any) => {\n  const store = new Writer();\n  store.run(req.body.id);\n  res.end();\n});\n";
    // The same handler with the store made by a function declared after its use (hoisted).
    const hoisted = routes.replace('const store = new Writer();', 'const store = pick();').replace('res.end();', 'res.end();\n  function pick() {\n    return new Writer();\n  }');
    const files: Record<string, string> = {
      '/app/routes.ts': routes,
      '/app/store.ts': "const sessions = new Map<string, string>();\nexport class Writer {\n  run(id: string) {\n    sessions.set(id, 'user');\n  }\n}\nexport class Reader {\n  run(id: string) {\n    return sessions.get(id);\n  }\n}\n",
    };
    const project = service(files);
    const check = (): string[] => carriedFindings(project, files);
    /** `store.run(…)`, in the handler. */
    const run = (program: ts.Program): ts.Node => {
      const handler = ((program.getSourceFile('/app/routes.ts')!.statements[2] as ts.ExpressionStatement).expression as ts.CallExpression).arguments[1] as ts.ArrowFunction;
      const statement = (handler.body as ts.Block).statements.find((candidate) => candidate.getText().startsWith('store.run'));
      return (statement as ts.ExpressionStatement).expression;
    };
    expect(check()).toEqual([expect.stringContaining('/app/store.ts:') as unknown as string]);
    // Typing in a later statement: the calls before it are the previous program's.
    const before = project.program();
    project.edit('/app/routes.ts', routes.replace('res.end();', 'res.end(1);'));
    expect(lineageOf(project.program()).previousOf(run(project.program()))).toBe(run(before));
    expect(check()).toHaveLength(1);
    // A variable the edited statement assigns, which an earlier statement reads: nothing of the body is carried.
    project.edit('/app/routes.ts', routes.replace('const store = new Writer();', 'let other = 0;\n  const store = new Writer();').replace('res.end();', 'res.end(other);'));
    check();
    project.edit('/app/routes.ts', routes.replace('const store = new Writer();', 'let other = 0;\n  const store = new Writer();').replace('res.end();', 'res.end(other = 1);'));
    expect(lineageOf(project.program()).previousOf(run(project.program()))).toBeUndefined();
    expect(check()).toHaveLength(1);
    // Typing in a function declared after the statement that calls it: the call's answer is not carried.
    project.edit('/app/routes.ts', hoisted);
    expect(check()).toHaveLength(1);
    project.edit('/app/routes.ts', hoisted.replace('return new Writer();', 'return new Reader();'));
    expect(lineageOf(project.program()).previousOf(run(project.program()))).toBeUndefined();
    expect(check()).toEqual([]);
  }, 120_000);

  it("carry the checker's yes/no answers and lists of nodes, moved with the edit, and recompute them in the body being typed in", () => {
    const routes = "declare const app: any;\nfunction remember(id: string) {\n  return id;\n}\napp.post('/login', (req: any, res: any) => {\n  const name = req.body.id;\n  res.end();\n});\nremember('x');\n";
    const files: Record<string, string> = { '/app/routes.ts': routes };
    const project = service(files);
    const nodesOf = (program: ts.Program) => {
      const file = program.getSourceFile('/app/routes.ts')!;
      const fn = file.statements[1] as ts.FunctionDeclaration;
      const call = (file.statements[3] as ts.ExpressionStatement).expression as ts.CallExpression;
      const handler = ((file.statements[2] as ts.ExpressionStatement).expression as ts.CallExpression).arguments[1] as ts.ArrowFunction;
      return { fn, call, handler, inner: (handler.body as ts.Block).statements[0] };
    };
    const store = new WeakMap<ts.Program, Map<ts.Node, readonly ts.Node[]>>();
    const kinds = new WeakMap<ts.Program, Map<ts.Node, string | null>>();
    let computed = 0;
    let decided = 0;
    const ask = (program: ts.Program, node: ts.Node) => ({
      nodes: cachedNodes(store, program, node, () => {
        computed++;
        return [nodesOf(program).fn];
      }),
      verdict: cachedVerdict(program, node, () => {
        decided++;
        return true;
      }),
      // Another question's answers, in a store of its own: a carried `null` is an answer too.
      kind: cachedValue(kinds, program, node, () => {
        decided++;
        return null;
      }),
    });
    const first = project.program();
    expect(ask(first, nodesOf(first).call)).toEqual({ nodes: [nodesOf(first).fn], verdict: true, kind: null });
    ask(first, nodesOf(first).inner);
    // A line inserted above the handler: the call after it moves, the answers follow it.
    const shifted = routes.replace("app.post('/login'", "\napp.post('/login'");
    project.edit('/app/routes.ts', shifted);
    const second = project.program();
    expect(lineageOf(second).previous).toBe(first);
    expect(ask(second, nodesOf(second).call)).toEqual({ nodes: [nodesOf(second).fn], verdict: true, kind: null });
    expect([computed, decided]).toEqual([2, 4]);
    // Typing in the handler: the answers outside it are carried again.
    project.edit('/app/routes.ts', shifted.replace('const name = req.body.id;', 'const namex = req.body.id;'));
    const third = project.program();
    expect(ask(third, nodesOf(third).call)).toEqual({ nodes: [nodesOf(third).fn], verdict: true, kind: null });
    expect([computed, decided]).toEqual([2, 4]);
    // In the body being typed in: asked again.
    ask(third, nodesOf(third).inner);
    expect([computed, decided]).toEqual([3, 6]);
  }, 120_000);

  it("carry start-up's walk across a keystroke that changes none of its calls, and walk again when one changes", () => {
    const server =
      "import { startJobs } from './jobs';\nimport { record } from './audit';\ndeclare const app: any;\napp.post('/orders', (req: any, res: any) => {\n  record(req.body.id);\n  res.end();\n});\napp.listen(3000, () => {\n  startJobs();\n});\n";
    const jobs = "import { sweep } from './sweep';\nexport function startJobs(): void {\n  setInterval(() => sweep(), 60_000);\n}\nexport function startReports(): void {\n  setInterval(() => sweep(), 3_600_000);\n}\n";
    const files: Record<string, string> = {
      '/app/server.ts': server,
      '/app/jobs.ts': jobs,
      '/app/sweep.ts': "declare const db: any;\nexport function sweep(): void {\n  db.query('DELETE FROM carts WHERE stale');\n}\n",
      '/app/audit.ts': "declare const db: any;\nexport function record(id: string): void {\n  db.query('INSERT INTO audit VALUES ($1)', [id]);\n}\n",
    };
    const project = service(files);
    const settings = defaultConfig().requestPath;
    /** Walks start-up in the project's current program; the calls whose targets the walk asked for, and whether the file's timers run at start-up. */
    const walk = (): { asked: string[]; timers: boolean[] } => {
      const program = project.program();
      const file = program.getSourceFile('/app/jobs.ts')!;
      const graph = buildRequestGraph(file, program, settings, undefined);
      const asked: string[] = [];
      const callTargets = graph.callTargets.bind(graph);
      graph.callTargets = (call: CallLike) => {
        asked.push(`${call.getSourceFile().fileName}:${call.getText()}`);
        return callTargets(call);
      };
      const reach = getStartupReach(graph, program, settings.maxDepth);
      const timers: boolean[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && node.expression.getText() === 'setInterval') timers.push(reach.runsAtStartUp(node));
        ts.forEachChild(node, visit);
      };
      visit(file);
      return { asked, timers };
    };
    const check = (): string[] => carriedFindings(project, files);
    expect(walk().timers).toEqual([true, false]);
    expect(check().filter((finding) => finding.includes('no-in-process-scheduler'))).toHaveLength(1);
    // Typing in the handler: only what contains the edit is asked about again (the server's module scope and the handler).
    project.edit('/app/server.ts', server.replace('record(req.body.id);', 'record(req.body.id + 1);'));
    const typed = walk();
    expect(typed.timers).toEqual([true, false]);
    expect([...new Set(typed.asked.map((call) => call.split(':')[0]))]).toEqual(['/app/server.ts']);
    expect(check().filter((finding) => finding.includes('no-in-process-scheduler'))).toHaveLength(1);
    // The start-up function now also starts the reports: walked again, and the second timer runs at start-up.
    project.edit('/app/jobs.ts', jobs.replace('setInterval(() => sweep(), 60_000);', 'setInterval(() => sweep(), 60_000);\n  startReports();'));
    const changed = walk();
    expect(changed.timers).toEqual([true, true]);
    expect(changed.asked).toContain('/app/sweep.ts:db.query(\'DELETE FROM carts WHERE stale\')');
    expect(check().filter((finding) => finding.includes('no-in-process-scheduler'))).toHaveLength(2);
    // And taken back.
    project.edit('/app/jobs.ts', jobs);
    expect(walk().timers).toEqual([true, false]);
    expect(check().filter((finding) => finding.includes('no-in-process-scheduler'))).toHaveLength(1);
  }, 120_000);

  it("compare a registered handler's calls only when a question needs the functions handlers reach, and walk again when they changed", () => {
    const server =
      "import { startJobs, startReports } from './jobs';\nimport { record } from './audit';\ndeclare const app: any;\napp.post('/orders', (req: any, res: any) => {\n  record(req.body.id);\n  res.end();\n});\napp.listen(3000, () => {\n  startJobs();\n});\nexport const reports = startReports;\n";
    const jobs = "import { sweep } from './sweep';\nexport function startJobs(): void {\n  setInterval(() => sweep(), 60_000);\n}\nexport function startReports(): void {\n  setInterval(() => sweep(), 3_600_000);\n}\n";
    const files: Record<string, string> = {
      '/app/server.ts': server,
      '/app/jobs.ts': jobs,
      '/app/sweep.ts': "declare const db: any;\nexport function sweep(): void {\n  db.query('DELETE FROM carts WHERE stale');\n}\n",
      '/app/audit.ts': "declare const db: any;\nexport function record(id: string): void {\n  db.query('INSERT INTO audit VALUES ($1)', [id]);\n}\n",
    };
    const project = service(files);
    const settings = defaultConfig().requestPath;
    /** Whether each timer of jobs.ts runs at start-up (registered handlers count), then whether start-up itself calls it. */
    const timers = (onlyCalled = false): { runs: boolean[]; called: boolean[] } => {
      const program = project.program();
      const file = program.getSourceFile('/app/jobs.ts')!;
      const reach = getStartupReach(buildRequestGraph(file, program, settings, undefined), program, settings.maxDepth);
      const found: ts.Node[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && node.expression.getText() === 'setInterval') found.push(node);
        ts.forEachChild(node, visit);
      };
      visit(file);
      return { called: found.map((node) => reach.calledAtStartUp(node)), runs: onlyCalled ? [] : found.map((node) => reach.runsAtStartUp(node)) };
    };
    const check = (): void => {
      expect(findings(project.program(), files)).toEqual(findings(createProgram({ ...files }, OPTIONS), files));
    };
    expect(timers()).toEqual({ called: [true, false], runs: [true, false] });
    // The handler now calls startReports: what handlers reach grows, what start-up calls does not.
    const calling = server.replace('record(req.body.id);', 'record(req.body.id);\n  startReports();');
    project.edit('/app/server.ts', calling.replace('startReports();', 'startReport();'));
    expect(timers()).toEqual({ called: [true, false], runs: [true, false] });
    // Asked only what start-up calls: the handler's calls are not compared yet, and stay to compare in the next program.
    project.edit('/app/server.ts', calling);
    expect(timers(true)).toEqual({ called: [true, false], runs: [] });
    project.edit('/app/server.ts', calling.replace('res.end();', 'res.end(1);'));
    expect(timers()).toEqual({ called: [true, false], runs: [true, true] });
    check();
    // Typing on in the handler, and taking the call back.
    project.edit('/app/server.ts', calling.replace('res.end();', 'res.end(2);'));
    expect(timers()).toEqual({ called: [true, false], runs: [true, true] });
    project.edit('/app/server.ts', server);
    expect(timers()).toEqual({ called: [true, false], runs: [true, false] });
    check();
  }, 120_000);

  it('carry the files a question about syntax holds for, asking only the changed files again', () => {
    const files: Record<string, string> = {
      '/app/a.ts': 'export function a() {\n  return new Date();\n}\n',
      '/app/b.ts': 'export const b = 2;\n',
      '/app/c.ts': 'export function c() {\n  return new Date();\n}\n',
    };
    const project = service(files);
    let asked: string[] = [];
    const creates = (file: ts.SourceFile): boolean => {
      asked.push(file.fileName);
      return file.text.includes('new ');
    };
    const own = (program: ts.Program): ts.SourceFile[] => program.getSourceFiles().filter((file) => !file.isDeclarationFile);
    const holding = (program: ts.Program): string[] => programFilesWhere(program, creates, own(program), creates).map((file) => file.fileName);
    expect(holding(project.program())).toEqual(['/app/a.ts', '/app/c.ts']);
    // Still holds after the edit: the new program's file, in the same place; nothing else asked again.
    asked = [];
    project.edit('/app/c.ts', 'export function c() {\n  return new Date(0);\n}\n');
    let program = project.program();
    const list = programFilesWhere(program, creates, own(program), creates);
    expect(list.map((file) => file.fileName)).toEqual(['/app/a.ts', '/app/c.ts']);
    expect(list[1]).toBe(program.getSourceFile('/app/c.ts'));
    expect(asked).toEqual(['/app/c.ts']);
    // Holds no more: taken out.
    project.edit('/app/a.ts', 'export function a() {\n  return Date.now();\n}\n');
    expect(holding(project.program())).toEqual(['/app/c.ts']);
    // Holds where it did not: the list is made again, in the program's order.
    asked = [];
    project.edit('/app/b.ts', 'export const b = new Date();\n');
    program = project.program();
    expect(holding(program)).toEqual(['/app/b.ts', '/app/c.ts']);
    expect(asked).toEqual(['/app/b.ts', ...own(program).map((file) => file.fileName)]);
  }, 120_000);

  it('find the singletons and socket.io evidence of a fresh program when an edit adds or takes out what makes them', () => {
    const store = 'export class Store {\n  items = new Map<string, string>();\n  add(k: string, v: string) {\n    this.items.set(k, v);\n  }\n}\n';
    const files: Record<string, string> = {
      '/app/routes.ts': "import { store } from './instance';\ndeclare const app: any;\napp.post('/login', (req: any, res: any) => {\n  store.add(req.body.id, 'user');\n  res.end();\n});\n",
      '/app/store.ts': store,
      '/app/instance.ts': "import { Store } from './store';\nexport const store = new Store();\n",
      '/app/other.ts': 'export function other() {\n  return 1;\n}\n',
    };
    const project = service(files);
    const check = (): string[] => carriedFindings(project, files);
    expect(check()).toHaveLength(1);
    // The one instance is no longer made at module scope: no singleton, no finding.
    project.edit('/app/instance.ts', "import { Store } from './store';\nexport const store: Store = make();\nfunction make(): any {\n  return undefined;\n}\n");
    expect(check()).toHaveLength(0);
    // An edit of another file, then the instance made again.
    project.edit('/app/other.ts', 'export function other() {\n  return 2;\n}\n');
    expect(check()).toHaveLength(0);
    project.edit('/app/instance.ts', "import { Store } from './store';\nexport const store = new Store();\n");
    expect(check()).toHaveLength(1);
  }, 120_000);

  it("carry the web process's files across a keystroke in a function body, and find them again when the edit makes an entry module", () => {
    const main = "import { startServer } from './server';\nimport './cron';\nasync function boot(): Promise<void> {\n  await Promise.resolve();\n}\nboot();\n";
    const files: Record<string, string> = {
      '/app/server.ts': "import { record } from './audit';\ndeclare const app: any;\nexport function startServer(): void {\n  app.post('/orders', (req: any, res: any) => {\n    record(req.body.id);\n    res.end();\n  });\n  app.listen(3000);\n}\n",
      '/app/main.ts': main,
      '/app/cron.ts': "declare const db: any;\nsetInterval(() => db.query('DELETE FROM carts WHERE stale'), 60_000);\n",
      '/app/audit.ts': "declare const db: any;\nexport function record(id: string): void {\n  db.query('INSERT INTO audit VALUES ($1)', [id]);\n}\n",
    };
    const project = service(files);
    const settings = defaultConfig().requestPath;
    /** The files whose calls' targets finding the web process's files asked for. */
    let asked = new Set<string>();
    const webFiles = (): string[] => {
      const program = project.program();
      const graph = buildRequestGraph(program.getSourceFile('/app/cron.ts')!, program, settings, undefined);
      const callTargets = graph.callTargets.bind(graph);
      asked = new Set();
      graph.callTargets = (call: CallLike) => {
        asked.add(call.getSourceFile().fileName);
        return callTargets(call);
      };
      return [...getStartupReach(graph, program, settings.maxDepth).webProcessFiles()].map((file) => file.fileName).sort();
    };
    const check = (): string[] => carriedFindings(project, files).filter((finding) => finding.includes('no-in-process-scheduler'));
    // The entry module does not start the server yet: its cron is no web process's.
    expect(webFiles()).toEqual(['/app/audit.ts', '/app/server.ts']);
    expect(asked).toContain('/app/main.ts');
    expect(check()).toHaveLength(0);
    // Typing in a handler changes none of the files: carried, the entry module's calls not asked about again.
    project.edit('/app/server.ts', files['/app/server.ts'].replace('record(req.body.id);', 'record(req.body.id + 1);'));
    expect(webFiles()).toEqual(['/app/audit.ts', '/app/server.ts']);
    expect(asked).not.toContain('/app/main.ts');
    expect(check()).toHaveLength(0);
    // The entry function now starts the server as the module loads: the entry module and what it imports join the web process.
    project.edit('/app/main.ts', main.replace('await Promise.resolve();', 'await Promise.resolve();\n  startServer();'));
    expect(webFiles()).toEqual(['/app/audit.ts', '/app/cron.ts', '/app/main.ts', '/app/server.ts']);
    expect(check()).toHaveLength(1);
    // And taken back.
    project.edit('/app/main.ts', main);
    expect(webFiles()).toEqual(['/app/audit.ts', '/app/server.ts']);
    expect(check()).toHaveLength(0);
  }, 120_000);

  it('keep answers that depend on which files exist while no file is added or removed', () => {
    const files: Record<string, string> = { '/app/a.ts': 'export const a = 1;\n', '/app/b.ts': 'export const b = 2;\n' };
    const project = service(files);
    const store = new WeakMap<ts.Program, Map<string, string>>();
    const first = keptWhileFilesStay(store, project.program(), () => new Map<string, string>());
    project.edit('/app/a.ts', 'export const a = 3;\n');
    expect(keptWhileFilesStay(store, project.program(), () => new Map<string, string>())).toBe(first);
    files['/app/c.ts'] = 'export const c = 4;\n';
    project.edit('/app/a.ts', 'export const a = 5;\n');
    expect(keptWhileFilesStay(store, project.program(), () => new Map<string, string>())).not.toBe(first);
  }, 120_000);
});
