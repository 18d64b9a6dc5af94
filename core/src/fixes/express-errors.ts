import ts = require('typescript');
import type { FixPlan, TextEdit } from '../types';
import type { FunctionNode } from '../analysis/file-facts';
import type { EntryPoint, RequestGraph } from '../analysis/request-graph';
import { asyncInsertionPoint, calledBy, isDeclarationOrModuleSyntax } from './asyncify';
import type { FixContext } from './context';
import { manifestOf, parseVersion, readJson, usedPackageVersion } from './installed-packages';
import { importEdit, moduleSpecifier, useAdapter } from './module-edits';
import { referencesOf } from './references';

type Plan = Omit<FixPlan, 'message'>;

/** Registrations whose handlers Express runs: `app.get(…)`, `router.use(…)` (the `http` detector also sees Express routers). */
const EXPRESS_FRAMEWORKS = new Set(['express', 'http']);

/**
 * Express 4 calls a handler and ignores what it returns: a throw in a synchronous handler reaches
 * the error handler, but a rejected promise does not (it becomes an unhandled rejection, which ends
 * the process on Node 15+). When a plan makes an Express 4 handler async, the handler is wrapped in
 * `forwardErrors(…)` (an adapter that passes the rejection to `next`), so its errors still reach
 * the error handler: a function expression where it is written, a function declaration at each of
 * its registrations, a method at each registration of it (bound or not). A handler the fix cannot
 * wrap (a getter, a declaration or method also used as a value elsewhere) makes the plan refused. Express 5 forwards rejections itself: nothing changes there.
 */
export function forwardHandlerRejections(plan: Plan, graph: RequestGraph, context: FixContext): { plan: Plan } | { refused: string } {
  const expressEntries = graph.entries.filter((entry) => EXPRESS_FRAMEWORKS.has(entry.framework));
  const expressHandlers = new Set(expressEntries.map((entry) => entry.handler));
  const wrapped = new Map<TextEdit, TextEdit[]>();
  const added: TextEdit[] = [];
  const files = new Set<ts.SourceFile>();
  for (const handler of new Set(context.functionsMadeAsync())) {
    if (!expressHandlers.has(handler)) continue;
    const file = handler.getSourceFile();
    const at = asyncInsertionPoint(handler);
    const edit = plan.edits.find((candidate) => candidate.fileName === file.fileName && candidate.start === at && candidate.end === at && candidate.newText === 'async ');
    if (!edit || !isExpress4(file.fileName, expressEntries.filter((entry) => entry.handler === handler).map((entry) => entry.framework))) continue;
    if ((ts.isFunctionDeclaration(handler) || ts.isMethodDeclaration(handler)) && handler.name && ts.isIdentifier(handler.name)) {
      const registrations = wrapRegistrations(handler, handler.name, expressEntries, context);
      if ('refused' in registrations) return { refused: `Express 4 does not pass a rejected promise to the error handler, and ${registrations.refused}` };
      for (const argument of registrations.arguments) {
        const argumentFile = argument.getSourceFile();
        added.push({ fileName: argumentFile.fileName, start: argument.getStart(argumentFile), end: argument.getStart(argumentFile), newText: 'forwardErrors(' }, { fileName: argumentFile.fileName, start: argument.getEnd(), end: argument.getEnd(), newText: ')' });
        files.add(argumentFile);
      }
      continue;
    }
    if (!isWrappable(handler)) {
      return { refused: `Express 4 does not pass a rejected promise to the error handler, and the handler made async (${context.where(handler)}) is not a function expression the fix can wrap in \`forwardErrors\`` };
    }
    wrapped.set(edit, [
      { ...edit, newText: 'forwardErrors(async ' },
      { fileName: file.fileName, start: handler.getEnd(), end: handler.getEnd(), newText: ')' },
    ]);
    files.add(file);
  }
  if (files.size === 0) return { plan };
  const use = useAdapter('express-errors.ts', context.projectRoot, context.adapterDir, context.exists);
  const edits = [...plan.edits.flatMap((edit) => wrapped.get(edit) ?? [edit]), ...added];
  for (const file of files) {
    const line = importEdit(file, ['forwardErrors'], moduleSpecifier(file, use.fileName, context.program.getCompilerOptions()));
    if (line) edits.push(line);
  }
  const createFiles = [...plan.createFiles, ...use.createFiles.filter((created) => !plan.createFiles.some((other) => other.fileName === created.fileName))];
  return { plan: { ...plan, edits, createFiles } };
}

/**
 * A function declaration or a method made async keeps its name, its signature and its direct callers (who
 * now await it, and get its rejections as they got its throws); only where Express runs it, its
 * registrations, is it wrapped: `router.use(forwardErrors(requireAuth))`,
 * `router.get('/', forwardErrors(controller.list))`, `forwardErrors(this.list.bind(this))` (the
 * wrapper calls it with the `this` Express gives, as Express did). Every use of the name
 * must be a call, an import or export, or an argument of one of its Express registrations, and
 * every registration the request graph knows must be among those uses; anything else refuses.
 */
function wrapRegistrations(handler: ts.FunctionDeclaration | ts.MethodDeclaration, name: ts.Identifier, entries: readonly EntryPoint[], context: FixContext): { arguments: ts.Expression[] } | { refused: string } {
  const registrations = new Set<ts.CallExpression>();
  for (const entry of entries) {
    if (entry.handler !== handler) continue;
    const call = registrationCall(entry.registration);
    // A row of a route table (`{ method: 'post', path, handler }`) is registered by a loop the fix cannot wrap per handler.
    if (!call) return { refused: `\`${name.text}\`, the handler made async (${context.where(handler)}), is registered for ${entry.label} by a route table (${context.where(entry.registration)}), where the fix cannot wrap it in \`forwardErrors\`` };
    registrations.add(call);
  }
  const found: ts.Expression[] = [];
  const registered = new Set<ts.CallExpression>();
  for (const reference of referencesOf(context.program, name)) {
    if (isDeclarationOrModuleSyntax(reference) || isCommonJsExport(reference) || calledBy(reference)) continue;
    let value: ts.Expression = ts.isPropertyAccessExpression(reference.parent) && reference.parent.name === reference ? reference.parent : reference;
    // `this.list.bind(this)`: the bound function is what Express runs.
    const bind = value.parent;
    if (ts.isPropertyAccessExpression(bind) && bind.expression === value && bind.name.text === 'bind' && ts.isCallExpression(bind.parent) && bind.parent.expression === bind) value = bind.parent;
    const call = value.parent;
    if (ts.isCallExpression(call) && registrations.has(call) && call.arguments.includes(value)) {
      found.push(value);
      registered.add(call);
      continue;
    }
    return { refused: `\`${name.text}\`, the handler made async (${context.where(handler)}), is used as a value at ${context.where(reference)}, where the fix cannot wrap it in \`forwardErrors\`` };
  }
  for (const call of registrations) {
    if (!registered.has(call)) return { refused: `\`${name.text}\`, the handler made async (${context.where(handler)}), is registered at ${context.where(call)} under a name the fix cannot follow to wrap it in \`forwardErrors\`` };
  }
  return { arguments: found };
}

/** `module.exports = { requireAuth }`, `exports.requireAuth = requireAuth`, `module.exports = requireAuth`, `const { requireAuth } = require(…)`: the importers' uses are its uses. */
function isCommonJsExport(reference: ts.Identifier): boolean {
  // `const { requireAuth } = require('./auth')` declares the importer's name.
  if (ts.isBindingElement(reference.parent) && reference.parent.name === reference) return true;
  let value: ts.Node = reference;
  if (ts.isShorthandPropertyAssignment(reference.parent) || (ts.isPropertyAssignment(reference.parent) && reference.parent.initializer === reference)) value = reference.parent.parent;
  const assignment = value.parent;
  if (!ts.isBinaryExpression(assignment) || assignment.operatorToken.kind !== ts.SyntaxKind.EqualsToken || assignment.right !== value) return false;
  const target = assignment.left;
  const isExports = (node: ts.Expression): boolean => (ts.isIdentifier(node) && node.text === 'exports') || (ts.isPropertyAccessExpression(node) && node.name.text === 'exports' && ts.isIdentifier(node.expression) && node.expression.text === 'module');
  return isExports(target) || (ts.isPropertyAccessExpression(target) && isExports(target.expression));
}

/** The registering call: `router.use(…)`, or the call of the method a chained registration points at (`.post` in `router.route(p).get(a).post(b)`). */
function registrationCall(registration: ts.Node): ts.CallExpression | undefined {
  if (ts.isCallExpression(registration)) return registration;
  const access = registration.parent as ts.Node | undefined;
  return access && ts.isPropertyAccessExpression(access) && ts.isCallExpression(access.parent) && access.parent.expression === access ? access.parent : undefined;
}

/**
 * Whether the handler's Express forwards no rejection: version 4 installed or declared; or, for a
 * handler registered on an Express app, a project whose package.json does not say (Express comes in
 * through a package built on it, such as `express.oi`): the wrapper then does what Express 5 does.
 */
function isExpress4(fileName: string, frameworks: readonly string[]): boolean {
  const version = usedPackageVersion(fileName, 'express');
  const parsed = version === undefined ? undefined : parseVersion(version);
  if (parsed !== undefined) return parsed[0] < 5;
  const manifest = manifestOf(fileName.slice(0, fileName.lastIndexOf('/')));
  if (manifest === undefined) return false;
  if (frameworks.includes('express')) return true;
  // A route of an app the analysis reads by its shape (`this.app.get('/login', fn)`), in a project built on an Express package.
  return frameworks.includes('http') && declaresExpressPackage(manifest);
}

/** `express.oi`, `express.io`, `express-session`: a dependency of the Express family, without `express` itself. */
function declaresExpressPackage(manifest: string): boolean {
  const json = readJson(manifest);
  return ['dependencies', 'devDependencies', 'peerDependencies'].some((table) => Object.keys((json?.[table] as Record<string, unknown> | undefined) ?? {}).some((name) => /^express[.-]/.test(name)));
}

/** A function expression or arrow with no modifiers before it: `forwardErrors(` can go right where `async ` goes. */
function isWrappable(fn: FunctionNode): boolean {
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  return !fn.modifiers || fn.modifiers.length === 0;
}
