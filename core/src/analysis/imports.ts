import ts = require('typescript');
import { localInitializer } from './scope';
import { propertyNameText, skipOuterExpressions, stringValue } from './text';

// Module members of `typescript` are getters: read the hot ones once.
const { SyntaxKind } = ts;

/**
 * What a local name is bound to by an import or a `require`: the module (without a `node:`
 * prefix; `fs/promises` is spelled `fs` with `promises` in front of the path) and the property path
 * inside it. `import fs from 'fs'` and `import * as fs from 'fs'` are `{ module: 'fs', path: [] }`;
 * `import { writeFile } from 'fs/promises'` is `{ module: 'fs', path: ['promises', 'writeFile'] }`.
 */
export interface ImportBinding {
  module: string;
  path: readonly string[];
}

export type ImportTable = ReadonlyMap<string, ImportBinding>;

/** Sub-path modules that are properties of their parent module. */
const SUBMODULE_ALIASES: Record<string, ImportBinding> = {
  'fs/promises': { module: 'fs', path: ['promises'] },
  'dns/promises': { module: 'dns', path: ['promises'] },
  'stream/promises': { module: 'stream', path: ['promises'] },
  'timers/promises': { module: 'timers', path: ['promises'] },
};

export function normalizeModule(specifier: string): ImportBinding {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return SUBMODULE_ALIASES[bare] ?? { module: bare, path: [] };
}

function bindingFor(specifier: string, path: readonly string[]): ImportBinding {
  const base = normalizeModule(specifier);
  return { module: base.module, path: [...base.path, ...path] };
}

/** Collects import and top-level `require` bindings (ESM, `import x = require()`, CommonJS destructuring). */
export function collectImports(sourceFile: ts.SourceFile, table: Map<string, ImportBinding>, statement: ts.Statement): void {
  if (ts.isImportDeclaration(statement)) {
    const specifier = stringValue(statement.moduleSpecifier);
    const clause = statement.importClause;
    if (specifier === undefined || !clause) return;
    if (clause.name) table.set(clause.name.text, bindingFor(specifier, []));
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) table.set(named.name.text, bindingFor(specifier, []));
    if (named && ts.isNamedImports(named)) {
      for (const element of named.elements) {
        const imported = (element.propertyName ? propertyNameText(element.propertyName) : undefined) ?? element.name.text;
        table.set(element.name.text, imported === 'default' ? bindingFor(specifier, []) : bindingFor(specifier, [imported]));
      }
    }
    return;
  }
  if (ts.isImportEqualsDeclaration(statement)) {
    const reference = statement.moduleReference;
    if (ts.isExternalModuleReference(reference)) {
      const specifier = stringValue(reference.expression);
      if (specifier !== undefined) table.set(statement.name.text, bindingFor(specifier, []));
    }
    return;
  }
  if (ts.isVariableStatement(statement)) {
    for (const declaration of statement.declarationList.declarations) collectRequire(declaration, table);
  }
}

/**
 * `const x = require('m')`, `const { a, b: c } = require('m')`, `const x = require('m').p`, and the
 * same taken from a module already bound (`import * as io from 'm'; const { Server } = io`,
 * `const Server = io.Server`); `const x = require('m')(arg)` is not a binding of `m`.
 */
function collectRequire(declaration: ts.VariableDeclaration, table: Map<string, ImportBinding>): void {
  if (!declaration.initializer) return;
  const required = requiredPath(declaration.initializer) ?? boundMember(declaration.initializer, table) ?? verboseModule(declaration.initializer);
  if (!required) return;
  const name = declaration.name;
  if (ts.isIdentifier(name)) {
    table.set(name.text, required);
    return;
  }
  if (ts.isObjectBindingPattern(name)) {
    for (const element of name.elements) {
      if (!ts.isIdentifier(element.name)) continue;
      const key = element.propertyName ? propertyNameText(element.propertyName) : element.name.text;
      if (key === undefined) continue;
      table.set(element.name.text, { module: required.module, path: key === 'default' ? required.path : [...required.path, key] });
    }
  }
}

/** `require('sqlite3').verbose()`: sqlite3's `verbose()` turns on long stack traces and hands back the module itself. */
function verboseModule(expression: ts.Expression): ImportBinding | undefined {
  const value = skipOuterExpressions(expression);
  if (!ts.isCallExpression(value) || value.arguments.length > 0 || !ts.isPropertyAccessExpression(value.expression) || value.expression.name.text !== 'verbose') return undefined;
  const required = requiredPath(value.expression.expression);
  return required?.module === 'sqlite3' && required.path.length === 0 ? required : undefined;
}

/** `io` or `io.a.b` where `io` is a module binding collected earlier in the file. */
function boundMember(expression: ts.Expression, table: ReadonlyMap<string, ImportBinding>): ImportBinding | undefined {
  const path: string[] = [];
  let current = skipOuterExpressions(expression);
  while (ts.isPropertyAccessExpression(current)) {
    path.unshift(current.name.text);
    current = skipOuterExpressions(current.expression);
  }
  const base = ts.isIdentifier(current) ? table.get(current.text) : undefined;
  return base && { module: base.module, path: [...base.path, ...path.filter((part) => part !== 'default')] };
}

/** `require('m')` or `require('m').a.b`, also through `await import('m')`. */
export function requiredPath(expression: ts.Expression): ImportBinding | undefined {
  const path: string[] = [];
  let current = skipOuterExpressions(expression);
  if (ts.isAwaitExpression(current)) current = skipOuterExpressions(current.expression);
  while (ts.isPropertyAccessExpression(current)) {
    path.unshift(current.name.text);
    current = skipOuterExpressions(current.expression);
  }
  if (!ts.isCallExpression(current) || current.arguments.length !== 1) return undefined;
  const isRequire = ts.isIdentifier(current.expression) && current.expression.text === 'require';
  const isDynamicImport = current.expression.kind === SyntaxKind.ImportKeyword;
  if (!isRequire && !isDynamicImport) return undefined;
  const specifier = stringValue(current.arguments[0]);
  if (specifier === undefined) return undefined;
  return bindingFor(specifier, path.filter((part) => part !== 'default'));
}

/**
 * The module member an expression names, by import binding: `fs.promises.writeFile` with
 * `import fs from 'node:fs'` is `{ module: 'fs', path: ['promises', 'writeFile'] }`.
 */
export function resolveImportedMember(expression: ts.Expression, imports: ImportTable): ImportBinding | undefined {
  // Several rules ask about the same callees; the answer depends only on the node and its file.
  const cached = memberCache.get(expression);
  if (cached !== undefined) return cached ?? undefined;
  const resolved = resolveMember(expression, imports);
  memberCache.set(expression, resolved ?? null);
  return resolved;
}

const memberCache = new WeakMap<ts.Expression, ImportBinding | null>();

/** `var fs = require('fs')` inside the function that uses it (a CommonJS module body wrapped in `module.exports = function () {…}`). */
function localRequire(name: ts.Identifier): ImportBinding | undefined {
  const initializer = localInitializer(name);
  const declaration = initializer?.parent;
  if (!initializer || !declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name)) return undefined;
  const value = skipOuterExpressions(initializer);
  return ts.isCallExpression(value) ? requiredPath(value) : undefined;
}

function resolveMember(expression: ts.Expression, imports: ImportTable): ImportBinding | undefined {
  const path: string[] = [];
  let current = skipOuterExpressions(expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(current)) {
      path.unshift(current.name.text);
      current = skipOuterExpressions(current.expression);
    } else if (ts.isElementAccessExpression(current) && stringValue(current.argumentExpression) !== undefined) {
      path.unshift(stringValue(current.argumentExpression)!);
      current = skipOuterExpressions(current.expression);
    } else break;
  }
  let base: ImportBinding | undefined;
  if (ts.isIdentifier(current)) base = imports.get(current.text) ?? localRequire(current);
  else if (ts.isCallExpression(current)) base = requiredPath(current);
  if (!base) return undefined;
  return { module: base.module, path: [...base.path, ...path.filter((part) => part !== 'default')] };
}

/**
 * Scheduler libraries whose copies are known by their folder's name, keyed by that name without
 * dashes, lower case (`nodecron`). Not `cron` or `bree`: a project's own `lib/cron.js` is its own code.
 */
const COPIED_SCHEDULERS = new Map(['node-cron', 'node-schedule', 'croner'].map((name) => [name.replace(/-/g, ''), name]));
/** Folders projects copy other people's packages into. */
const COPIED_PACKAGE_FOLDER = /^(?:libs?|vendors?|vendored|third[-_]party)$/i;

/**
 * The scheduler library a module is: its own name, or a copy of it kept in the project's `libs/` or
 * `vendor/` folder under its name in another case (`../libs/nodeCron` is node-cron, whose `schedule`
 * the project calls as it would the installed package's).
 */
export function schedulerModule(specifier: string): string {
  const parts = specifier.split('/');
  if (parts[0] !== '.' && parts[0] !== '..') return specifier;
  const folder = parts.findIndex((part) => COPIED_PACKAGE_FOLDER.test(part));
  if (folder < 0 || folder + 1 >= parts.length) return specifier;
  const rest = parts.slice(folder + 2);
  if (rest.length > 1 || (rest.length === 1 && !/^index(?:\.[cm]?[jt]s)?$/.test(rest[0]))) return specifier;
  return COPIED_SCHEDULERS.get(parts[folder + 1].replace(/[-_]/g, '').toLowerCase()) ?? specifier;
}

/** The scheduler libraries (and their copies) whose bindings name the library, not a deployment flag: `cron` in `cron.validate(expression)`. */
export const SCHEDULER_LIBRARIES = new Set(['node-cron', 'cron', 'node-schedule', 'croner', 'bree', 'toad-scheduler']);
