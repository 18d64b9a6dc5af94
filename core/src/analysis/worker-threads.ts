import ts = require('typescript');
import { getFileFacts, type FunctionNode } from './file-facts';
import { resolveImportedMember } from './imports';
import { skipOuterExpressions, stringValue } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * A worker thread started on a request path: `new Worker(path.join(__dirname, 'backup.worker.js'), { workerData })`
 * (`worker_threads`) runs that file for the request. What the worker does, its module scope's calls and the
 * listeners of its `parentPort`'s messages (`parentPort.on('message', run)`), is the request's work: a file it
 * writes lands on this instance's disk. The file is found from a literal path, relative to the starting file's
 * folder when built from `__dirname` (or `new URL(…, import.meta.url)`), else relative to the folders above it
 * (a path the process resolves from its working folder). A worker named by a row of a task table the starting
 * module imports (`new Worker(task.path)`) may run any row's file. A worker whose file no literal names is not followed.
 */

/** What finding a worker's file needs from the resolver. */
export interface WorkerLookup {
  /** The project file at a path relative to a folder (extensions probed), or undefined. */
  fileAt(folder: string, relativePath: string): ts.SourceFile | undefined;
  handlerFunctions(expression: ts.Expression): FunctionNode[];
  callTargets(call: ts.CallExpression): FunctionNode[];
}

/** The functions a `new Worker(file)` of `worker_threads` runs in the file it starts; empty for any other construction. */
export function workerFunctions(lookup: WorkerLookup, creation: ts.NewExpression): FunctionNode[] {
  if (!startsWorkerThread(creation)) return [];
  const file = creation.getSourceFile();
  const argument = creation.arguments?.[0];
  if (!argument) return [];
  const folder = file.fileName.replace(/\/[^/]*$/, '');
  const direct = workerPath(argument);
  const targets = direct ? [direct] : tablePaths(lookup, file, argument).map((path) => ({ path, fromFolder: false }));
  const result: FunctionNode[] = [];
  for (const target of targets) {
    let worker: ts.SourceFile | undefined;
    if (target.fromFolder) worker = lookup.fileAt(folder, target.path);
    else {
      // A path the process resolves from its working folder: the first folder above the file that has it.
      for (let above = folder; !worker && above.includes('/'); above = above.replace(/\/[^/]*$/, '')) worker = lookup.fileAt(above, target.path);
      if (!worker) worker = lookup.fileAt('', target.path);
    }
    if (worker && worker !== file) for (const fn of workerEntries(lookup, worker)) if (!result.includes(fn)) result.push(fn);
  }
  return result;
}

/** Rows a task table may have before it is read as something else than the service's list of workers. */
const MAX_TABLE_PATHS = 16;

/**
 * `new Worker(task.path)` with the row handed in (`addTask({ task: tasks.Backup })`): the worker files a table of
 * the service's own that the starting module imports names under that member, one object per task
 * (`{ Backup: { path: './tasks/BackupTask.js', name: 'Backup' }, … }`). Every row must name its file by a literal.
 */
function tablePaths(lookup: WorkerLookup, file: ts.SourceFile, argument: ts.Expression): string[] {
  const value = skipOuterExpressions(argument);
  if (!ts.isPropertyAccessExpression(value)) return [];
  const member = value.name.text;
  const folder = file.fileName.replace(/\/[^/]*$/, '');
  const modules = new Set([...getFileFacts(file).imports.values()].map((binding) => binding.module).filter((module) => module.startsWith('.')));
  const paths: string[] = [];
  for (const module of modules) {
    const table = lookup.fileAt(folder, module);
    if (!table || table === file) continue;
    for (const statement of table.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        const rows = declaration.initializer && skipOuterExpressions(declaration.initializer);
        if (!rows || !ts.isObjectLiteralExpression(rows) || rows.properties.length === 0) continue;
        const named = rows.properties.map((row) => (ts.isPropertyAssignment(row) ? rowPath(row.initializer, member) : undefined));
        if (named.some((path) => path === undefined)) continue;
        for (const path of named as string[]) if (!paths.includes(path)) paths.push(path);
      }
    }
  }
  return paths.length <= MAX_TABLE_PATHS ? paths : [];
}

/** `{ path: './tasks/BackupTask.js', … }`: the literal a row gives the member, if it is a relative script path. */
function rowPath(row: ts.Expression, member: string): string | undefined {
  const value = skipOuterExpressions(row);
  if (!ts.isObjectLiteralExpression(value)) return undefined;
  const property = value.properties.find((candidate) => ts.isPropertyAssignment(candidate) && ts.isIdentifier(candidate.name) && candidate.name.text === member);
  const path = property && ts.isPropertyAssignment(property) ? stringValue(property.initializer) : undefined;
  return path !== undefined && /^\.{1,2}\/.*\.[cm]?[jt]s$/.test(path) ? path : undefined;
}

/** The worker file's path: `fromFolder` when it is built from the starting module's own folder. */
function workerPath(argument: ts.Expression): { path: string; fromFolder: boolean } | undefined {
  const value = skipOuterExpressions(argument);
  const literal = stringValue(value);
  if (literal !== undefined) return literal.startsWith('/') ? undefined : { path: literal, fromFolder: false };
  // path.join(__dirname, 'workers', 'backup.js'), path.resolve(__dirname, './backup.js')
  if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && /^(join|resolve)$/.test(value.expression.name.text) && value.arguments.length >= 2 && isDirname(value.arguments[0])) {
    const parts = value.arguments.slice(1).map(stringValue);
    if (parts.some((part) => part === undefined)) return undefined;
    return { path: parts.join('/'), fromFolder: true };
  }
  // __dirname + '/backup.js', `${__dirname}/backup.js`
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === SyntaxKind.PlusToken && isDirname(value.left)) {
    const rest = stringValue(value.right);
    return rest === undefined ? undefined : { path: rest.replace(/^\/+/, ''), fromFolder: true };
  }
  if (ts.isTemplateExpression(value) && value.head.text === '' && value.templateSpans.length === 1 && isDirname(value.templateSpans[0].expression)) {
    return { path: value.templateSpans[0].literal.text.replace(/^\/+/, ''), fromFolder: true };
  }
  // new URL('./backup.js', import.meta.url)
  if (ts.isNewExpression(value) && ts.isIdentifier(value.expression) && value.expression.text === 'URL' && value.arguments?.length === 2 && value.arguments[1].getText().replace(/\s/g, '') === 'import.meta.url') {
    const relative = stringValue(value.arguments[0]);
    return relative === undefined ? undefined : { path: relative, fromFolder: true };
  }
  return undefined;
}

function isDirname(expression: ts.Expression): boolean {
  const value = skipOuterExpressions(expression);
  return (ts.isIdentifier(value) && value.text === '__dirname') || value.getText().replace(/\s/g, '') === 'import.meta.dirname';
}

/**
 * What a worker file runs: the functions its module scope calls (an IIFE, `main()`, `run(workerData)`) and the
 * listeners it gives its `parentPort` (`parentPort.on('message', …)`, once or every message).
 */
function workerEntries(lookup: WorkerLookup, worker: ts.SourceFile): FunctionNode[] {
  const result: FunctionNode[] = [];
  const add = (fns: readonly FunctionNode[]): void => {
    for (const fn of fns) if (!result.includes(fn)) result.push(fn);
  };
  for (const { node, function: fn } of getFileFacts(worker).calls) {
    if (fn || !ts.isCallExpression(node)) continue;
    const callee = skipOuterExpressions(node.expression);
    if (ts.isFunctionExpression(callee) || ts.isArrowFunction(callee)) {
      add([callee]);
      continue;
    }
    if (ts.isPropertyAccessExpression(callee) && /^(on|once|addListener)$/.test(callee.name.text) && /(?:^|\.)parentPort$/.test(skipOuterExpressions(callee.expression).getText())) {
      if (stringValue(node.arguments[0]) === 'message' && node.arguments[1]) add(lookup.handlerFunctions(node.arguments[1]));
      continue;
    }
    add(lookup.callTargets(node));
    // main().then(…): the callbacks of a chain on the module's own call
    for (const argument of node.arguments) {
      const value = skipOuterExpressions(argument);
      if ((ts.isFunctionExpression(value) || ts.isArrowFunction(value)) && ts.isPropertyAccessExpression(callee) && /^(then|catch|finally)$/.test(callee.name.text)) add([value]);
    }
  }
  return result;
}

/** Whether a call on a path starts a worker thread (`new Worker(…)` of `worker_threads`): what follows runs off the request's event loop. */
export function startsWorkerThread(call: ts.Node): boolean {
  if (!ts.isNewExpression(call)) return false;
  const imported = resolveImportedMember(call.expression, getFileFacts(call.getSourceFile()).imports);
  return imported !== undefined && imported.module === 'worker_threads' && imported.path.join('.') === 'Worker';
}
