import * as path from 'node:path';
import ts = require('typescript');
import type { DependencyToAdd, FileToCreate, TextEdit } from '../types';
import { adapterTemplates } from '../generated/adapter-templates';
import type { FixContext } from './context';
import { nearestPackageType, resolvesAsNode } from './language';
import { DEFAULT_ADAPTER_DIR } from '../config';
import { SERVER_START_TEXT } from '../analysis/entry-text';
import { isGeneratedAdapter, isTestPath } from '../analysis/paths';
import { moduleSpecifiers } from '../project-index/import-scan';

/** Joins POSIX-style paths (file names in a program always use `/`). */
function dirname(fileName: string): string {
  const slash = fileName.lastIndexOf('/');
  return slash < 0 ? '.' : fileName.slice(0, slash) || '/';
}

function relativePath(fromDir: string, to: string): string {
  const from = fromDir.split('/').filter(Boolean);
  const target = to.split('/').filter(Boolean);
  let common = 0;
  while (common < from.length && common < target.length && from[common] === target[common]) common++;
  const up = from.slice(common).map(() => '..');
  const rest = target.slice(common);
  const joined = [...up, ...rest].join('/');
  return joined.startsWith('.') ? joined : `./${joined}`;
}

/**
 * How `fromFile` should spell an import of the module `targetFile`: relative; from a CommonJS
 * file (`require`) without an extension, from an ESM JavaScript file with `.js`; from TypeScript
 * with a `.js` extension where the file's other relative imports use one or the project resolves
 * like Node (NodeNext, Node16), without one otherwise.
 */
export function moduleSpecifier(fromFile: ts.SourceFile, targetFile: string, options: ts.CompilerOptions): string {
  const explicit = /\.[cm]js$/.test(targetFile) ? targetFile.slice(targetFile.lastIndexOf('.')) : /\.[cm]ts$/.test(targetFile) ? `.${targetFile.slice(-3, -2)}js` : undefined;
  const withoutExtension = relativePath(dirname(fromFile.fileName), targetFile.replace(/\.[cm]?[jt]sx?$/, ''));
  if (explicit) return `${withoutExtension}${explicit}`;
  if (isJavaScript(fromFile.fileName)) return usesRequire(fromFile) ? withoutExtension : `${withoutExtension}.js`;
  const relativeImports = fromFile.statements
    .filter(ts.isImportDeclaration)
    .map((statement) => (ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : ''))
    .filter((specifier) => specifier.startsWith('.'));
  const usesJs = relativeImports.some((specifier) => /\.[cm]?js$/.test(specifier)) || (relativeImports.length === 0 && resolvesAsNode(options));
  return usesJs ? `${withoutExtension}.js` : withoutExtension;
}

function isJavaScript(fileName: string): boolean {
  return /\.[cm]?jsx?$/.test(fileName);
}

/**
 * Whether a file loads modules with `require`: it has no `import`/`export` and calls `require`,
 * or it is JavaScript that Node loads as CommonJS (`.cjs`, or `.js` without `"type": "module"`).
 */
export function usesRequire(sourceFile: ts.SourceFile): boolean {
  if (hasModuleSyntax(sourceFile)) return false;
  if (/\brequire\s*\(/.test(sourceFile.text)) return true;
  const { fileName } = sourceFile;
  if (fileName.endsWith('.cjs')) return true;
  return /\.jsx?$/.test(fileName) && nearestPackageType(dirname(fileName)) !== 'module';
}

/** `export function f`, `export const x`, `export default class`: ESM syntax without an import. */
/** `import`, `export` or an `export` modifier at the top of a file: an ES module's syntax. */
export function hasModuleSyntax(sourceFile: ts.SourceFile): boolean {
  return sourceFile.statements.some((statement) => ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement) || hasExportModifier(statement));
}

function hasExportModifier(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword) ?? false);
}

/** After the last import or top-level require (and directives): where new imports go. */
export function endOfImports(sourceFile: ts.SourceFile): number {
  let end = 0;
  for (const statement of sourceFile.statements) {
    const isImport = ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement);
    const isRequire = ts.isVariableStatement(statement) && statement.declarationList.declarations.some((d) => d.initializer !== undefined && /^require\(|^await import\(/.test(d.initializer.getText()));
    const isDirective = ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression);
    if (isImport || isRequire || isDirective) end = statement.getEnd();
    else break;
  }
  return end;
}

/** An edit that imports `names` from `specifier` in the file's own module style, unless already imported from there. */
export function importEdit(sourceFile: ts.SourceFile, names: readonly string[], specifier: string): TextEdit | undefined {
  const existing = new Set<string>();
  // The list a name the file lacks joins: `import { a } from 'specifier'` becomes `import { a, b } from …`.
  let list: ts.NodeArray<ts.ImportSpecifier | ts.BindingElement> | undefined;
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== specifier) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) existing.add(element.name.text);
      if (!statement.importClause?.isTypeOnly && bindings.elements.length > 0) list ??= bindings.elements;
    }
  }
  // const { a, b } = require('specifier');
  for (const statement of sourceFile.statements.filter(ts.isVariableStatement)) {
    for (const declaration of statement.declarationList.declarations) {
      const initializer = declaration.initializer;
      const required = initializer && ts.isCallExpression(initializer) && ts.isIdentifier(initializer.expression) && initializer.expression.text === 'require' && initializer.arguments[0];
      if (!required || !ts.isStringLiteral(required) || required.text !== specifier || !ts.isObjectBindingPattern(declaration.name)) continue;
      for (const element of declaration.name.elements) if (ts.isIdentifier(element.name)) existing.add(element.name.text);
      if (declaration.name.elements.length > 0 && !declaration.name.elements.some((element) => element.dotDotDotToken)) list ??= declaration.name.elements;
    }
  }
  const missing = names.filter((name) => !existing.has(name));
  if (missing.length === 0) return undefined;
  if (list) {
    const last = list[list.length - 1];
    return { fileName: sourceFile.fileName, start: last.getEnd(), end: last.getEnd(), newText: `, ${missing.join(', ')}` };
  }
  const line = usesRequire(sourceFile) ? `const { ${missing.join(', ')} } = require('${specifier}');` : `import { ${missing.join(', ')} } from '${specifier}';`;
  const at = endOfImports(sourceFile);
  const newline = sourceFile.text.includes('\r\n') ? '\r\n' : '\n';
  return { fileName: sourceFile.fileName, start: at, end: at, newText: at === 0 ? `${line}${newline}` : `${newline}${line}` };
}

/** `import mailer from './mailer'` (or its `require` in a CommonJS file), unless it is there already. */
export function defaultImportEdit(file: ts.SourceFile, local: string, specifier: string): TextEdit | undefined {
  if (new RegExp(`(?:import ${local} from|const ${local} = require\\()\\s*'${specifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`).test(file.text)) return undefined;
  const line = /\brequire\(/.test(file.text) ? `const ${local} = require('${specifier}');` : `import ${local} from '${specifier}';`;
  const at = endOfImports(file);
  return { fileName: file.fileName, start: at, end: at, newText: at === 0 ? `${line}\n` : `\n${line}` };
}

export interface AdapterUse {
  /** Where the adapter module lives in the user's project. */
  fileName: string;
  createFiles: FileToCreate[];
  dependencies: DependencyToAdd[];
}

/**
 * The folder (relative to the package root) adapters go in for a fix of `fileName`: the configured
 * `adapterDir`; by default `scaling/` in the folder the nearest tsconfig (or jsconfig) compiles the
 * file from (its `rootDir`, else the folder all its files share) when that is a folder below the
 * package root: `server/scaling` for a service whose tsconfig compiles `server/` (tsc refuses a
 * source outside `rootDir`, and without one lays the build output out anew, so `node dist/app.js`
 * would no longer start), or whose `server/tsconfig.json` sits beside a front end's `src/`. With no
 * config compiling the file: the project folder when it is below the package (`stateless fix server`),
 * else the folder of the web process's code (`serverFolderOf`). Else `src/scaling`.
 */
export function adapterFolder(program: ts.Program, fileName: string, packageRoot: string, configured: string, projectFolder: string = packageRoot): string {
  if (configured !== DEFAULT_ADAPTER_DIR) return configured;
  const root = packageRoot.replace(/\/+$/, '');
  const folder = projectFolder.replace(/\/+$/, '');
  const sources = compiledSources(program, fileName, root, folder);
  // A project folder with no config of its own below its package (`stateless fix server`, a JavaScript service beside the front end): its own folder.
  if (!sources && folder.startsWith(`${root}/`)) return `${folder.slice(root.length + 1)}/scaling`;
  // No config: the folder of the web process's code (`server/` beside `client/`), which a Dockerfile copying `./server` copies too.
  const served = sources ? undefined : serverFolderOf(program, root);
  if (served) return `${served.slice(root.length + 1)}/scaling`;
  if (!sources || sources.length === 0) return configured;
  let common = sources[0].slice(0, sources[0].lastIndexOf('/'));
  for (const source of sources) while (!source.startsWith(`${common}/`)) common = common.slice(0, common.lastIndexOf('/'));
  return common.startsWith(`${root}/`) ? `${common.slice(root.length + 1)}/scaling` : configured;
}

/**
 * The folder below the package root that holds the web process's code: the common folder of the
 * files that start a server (`app.listen(port)`; tests left out) and of the modules they import by
 * relative path. `server/` for a service whose `server/index.js` listens and imports `./routes`
 * beside a front end in `client/`; undefined when that code starts at the root (`bin/dev.js`
 * importing `../app`), or when nothing starts a server. One folder for the whole project, whichever
 * file a fix changes, so every fix shares the same adapters.
 */
function serverFolderOf(program: ts.Program, root: string): string | undefined {
  let byRoot = serverFolders.get(program);
  if (!byRoot) serverFolders.set(program, (byRoot = new Map<string, string | undefined>()));
  if (!byRoot.has(root)) byRoot.set(root, findServerFolder(program, root));
  return byRoot.get(root);
}

/** Per program, per package root: what `serverFolderOf` found (every fix of a project asks). */
const serverFolders = new WeakMap<ts.Program, Map<string, string | undefined>>();

function findServerFolder(program: ts.Program, root: string): string | undefined {
  let common: string | undefined;
  const take = (folder: string): void => {
    if (common === undefined) common = folder;
    while (common.length > 0 && folder !== common && !folder.startsWith(`${common}/`)) common = common.slice(0, common.lastIndexOf('/'));
  };
  for (const file of program.getSourceFiles()) {
    const name = file.fileName;
    if (file.isDeclarationFile || !name.startsWith(`${root}/`) || name.includes('/node_modules/') || isTestPath(name.slice(root.length)) || !SERVER_START_TEXT.test(file.text)) continue;
    // An adapter a fix wrote (the object store's server of files), not the service's own code.
    if (isGeneratedAdapter(file.text)) continue;
    const folder = name.slice(0, name.lastIndexOf('/'));
    take(folder);
    for (const specifier of moduleSpecifiers(file.text)) {
      if (!specifier.startsWith('.')) continue;
      const target = path.posix.resolve(folder, specifier);
      take(target.slice(0, target.lastIndexOf('/')));
    }
  }
  return common !== undefined && common.startsWith(`${root}/`) ? common : undefined;
}

/**
 * What the config that compiles `fileName` compiles it from: `[rootDir + '/']`, or its source files
 * (within the package). A config above the project folder that does not list the file is another
 * project's (the front end's tsconfig at the root, over a service folder without one).
 */
function compiledSources(program: ts.Program, fileName: string, root: string, projectFolder: string): string[] | undefined {
  const options = program.getCompilerOptions();
  const own = typeof options.configFilePath === 'string' ? options.configFilePath.replace(/\\/g, '/') : undefined;
  let config: string | undefined;
  for (let folder = fileName.slice(0, fileName.lastIndexOf('/')); folder === root || folder.startsWith(`${root}/`); folder = folder.slice(0, folder.lastIndexOf('/'))) {
    config = ['tsconfig.json', 'jsconfig.json'].map((name) => `${folder}/${name}`).find((candidate) => candidate === own || ts.sys.fileExists(candidate));
    if (config) break;
  }
  config ??= own;
  if (!config) return undefined;
  const parsed = config === own ? { options, fileNames: program.getRootFileNames() } : parsedConfig(config);
  if (!parsed) return undefined;
  if (config !== own && !`${config.slice(0, config.lastIndexOf('/'))}/`.startsWith(`${projectFolder}/`) && !parsed.fileNames.includes(fileName)) return undefined;
  if (parsed.options.rootDir !== undefined) return [`${parsed.options.rootDir.replace(/\/+$/, '')}/`];
  const sources = parsed.fileNames.filter((name) => name.startsWith(`${root}/`) && !/\.d\.[cm]?ts$/.test(name) && !name.includes('/node_modules/'));
  // A config that also takes in a folder beside its own (`"include": ["src", "../shared"]`): its own files say where its code is.
  const folder = config.slice(0, config.lastIndexOf('/'));
  const inFolder = sources.filter((name) => name.startsWith(`${folder}/`));
  return inFolder.length > 0 ? inFolder : sources;
}

const parsedConfigs = new Map<string, { text: string; parsed: Pick<ts.ParsedCommandLine, 'options' | 'fileNames'> | undefined }>();

function parsedConfig(configFile: string): Pick<ts.ParsedCommandLine, 'options' | 'fileNames'> | undefined {
  const text = ts.sys.readFile(configFile);
  if (text === undefined) return undefined;
  const known = parsedConfigs.get(configFile);
  if (known?.text === text) return known.parsed;
  let parsed: Pick<ts.ParsedCommandLine, 'options' | 'fileNames'> | undefined;
  try {
    parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, (name) => ts.sys.readFile(name)).config ?? {}, ts.sys, configFile.slice(0, configFile.lastIndexOf('/')), undefined, configFile);
  } catch {
    parsed = undefined;
  }
  parsedConfigs.set(configFile, { text, parsed });
  return parsed;
}

/**
 * The adapter module `name` (e.g. `session-store.ts`) in the project's adapter folder, with the
 * files to create the first time (the module and the modules it imports) and the packages they need.
 */
export function useAdapter(name: string, projectRoot: string, adapterDir: string, exists: (fileName: string) => boolean): AdapterUse {
  const folder = `${projectRoot.replace(/\/+$/, '')}/${adapterDir.replace(/^\.\/|\/+$/g, '')}`;
  const createFiles: FileToCreate[] = [];
  const dependencies = new Map<string, DependencyToAdd>();
  const pending = [name];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const current = pending.shift()!;
    if (seen.has(current)) continue;
    seen.add(current);
    const template = adapterTemplates[current];
    if (!template) continue;
    const fileName = `${folder}/${current}`;
    if (!exists(fileName)) createFiles.push({ fileName, text: template.text });
    for (const [dependency, version] of Object.entries(template.dependencies)) dependencies.set(dependency, { name: dependency, version });
    for (const match of template.text.matchAll(/from '\.\/([\w-]+)(?:\.js)?'/g)) pending.push(`${match[1]}.ts`);
  }
  return { fileName: `${folder}/${name}`, createFiles, dependencies: [...dependencies.values()] };
}

/**
 * The import that only brought in `used` (`import cron from 'node-cron'`, `import { EventEmitter }
 * from 'node:events'`) when a fix removes its last use: an import with no side effects left
 * unused would fail `noUnusedLocals` and lint. `used` and the nodes in `replaced` (text the fix
 * rewrites) do not count as uses. Only a declaration that imports this one name is returned.
 */
export function importLeftUnused(sourceFile: ts.SourceFile, used: ts.Identifier, replaced: readonly ts.Node[] = []): ts.ImportDeclaration | undefined {
  const statement = sourceFile.statements.find((candidate): candidate is ts.ImportDeclaration => {
    if (!ts.isImportDeclaration(candidate) || !candidate.importClause || candidate.importClause.isTypeOnly) return false;
    const clause = candidate.importClause;
    const named = clause.namedBindings;
    const names = [...(clause.name ? [clause.name.text] : []), ...(named && ts.isNamedImports(named) ? named.elements.map((element) => element.name.text) : named ? [named.name.text] : [])];
    return names.length === 1 && names[0] === used.text;
  });
  if (!statement) return undefined;
  const skipped = new Set<ts.Node>([statement, ...replaced]);
  let uses = 0;
  const visit = (node: ts.Node): void => {
    if (skipped.has(node)) return;
    if (ts.isIdentifier(node) && node.text === used.text && node !== used) uses++;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return uses === 0 ? statement : undefined;
}

/** Removes an import left unused and adds the new one, as one edit when the new import goes right where the old one ends (edits must not overlap). */
export function importSwap(sourceFile: ts.SourceFile, unused: ts.ImportDeclaration | ts.VariableStatement | undefined, added: TextEdit | undefined): TextEdit[] {
  if (unused && added && added.start === unused.getEnd()) return [{ fileName: sourceFile.fileName, start: unused.getStart(sourceFile), end: unused.getEnd(), newText: added.newText.replace(/^\r?\n/, '') }];
  const edits: TextEdit[] = [];
  if (unused) {
    const text = sourceFile.text;
    let end = unused.getEnd();
    if (text.startsWith('\r\n', end)) end += 2;
    else if (text[end] === '\n') end += 1;
    edits.push({ fileName: sourceFile.fileName, start: unused.getStart(sourceFile), end, newText: '' });
  }
  if (added) edits.push(added);
  return edits;
}

/** A statement's whole lines, with the line break. */
export function statementSpan(statement: ts.Statement | ts.ClassElement): { start: number; end: number } {
  const file = statement.getSourceFile();
  const start = file.text.lastIndexOf('\n', statement.getStart(file) - 1) + 1;
  let end = statement.getEnd();
  if (file.text[end] === '\r') end++;
  if (file.text[end] === '\n') end++;
  return { start, end };
}

/**
 * The import specifier or `require` binding of a name imported by name (`scryptSync` in `import {
 * scryptSync } from 'node:crypto'`) when `use` is its only use in the file; undefined when it is
 * renamed (`{ scryptSync as hash }`) or used anywhere else.
 */
export function onlyUseBinding(use: ts.Identifier, context: FixContext): ts.ImportSpecifier | ts.BindingElement | undefined {
  const declaration = context.program.getTypeChecker().getSymbolAtLocation(use)?.declarations?.[0];
  if (!declaration || !(ts.isImportSpecifier(declaration) || ts.isBindingElement(declaration)) || declaration.propertyName || declaration.getSourceFile() !== use.getSourceFile()) return undefined;
  let others = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === use.text && node !== use && node !== declaration.name) others++;
    ts.forEachChild(node, visit);
  };
  visit(use.getSourceFile());
  return others === 0 ? declaration : undefined;
}

/**
 * Removes several import bindings left unused: each list they leave empty goes as {@link bindingRemoval}
 * removes a lone binding, and a list they leave some of is written again with only those
 * (`{ Mutex, withTimeout, E_ALREADY_LOCKED }` → `{ E_ALREADY_LOCKED }`), one edit per list.
 */
export function bindingsRemoval(bindings: ReadonlyArray<ts.ImportSpecifier | ts.BindingElement>, added: TextEdit | undefined): { edits: TextEdit[]; statement?: ts.Statement } {
  const lists = [...new Set(bindings.map((binding) => binding.parent))];
  if (lists.length === 1 && bindings.length === 1) return bindingRemoval(bindings[0], added);
  const edits: TextEdit[] = [];
  let statement: ts.Statement | undefined;
  let pending = added;
  for (const list of lists) {
    const elements = list.elements as ts.NodeArray<ts.ImportSpecifier | ts.BindingElement>;
    const kept = elements.filter((element) => !bindings.includes(element));
    if (kept.length === 0) {
      const removal = listRemoval(elements[0], pending);
      edits.push(...removal.edits);
      statement = removal.statement ?? statement;
      pending = undefined;
      continue;
    }
    const file = list.getSourceFile();
    edits.push({ fileName: file.fileName, start: list.getStart(file), end: list.getEnd(), newText: `{ ${kept.map((element) => element.getText(file)).join(', ')} }` });
  }
  if (pending) edits.push(pending);
  return { edits, statement };
}

/**
 * Removes an import binding left unused: the element from its list (`{ a, readFileSync }` → `{ a }`),
 * or, when it was the only one, the whole statement, swapped for the new import where they meet.
 */
export function bindingRemoval(binding: ts.ImportSpecifier | ts.BindingElement, added: TextEdit | undefined): { edits: TextEdit[]; statement?: ts.Statement } {
  const file = binding.getSourceFile();
  const list = binding.parent.elements as ts.NodeArray<ts.ImportSpecifier | ts.BindingElement>;
  if (list.length > 1) {
    const index = list.indexOf(binding);
    // With the comma after it (or, for the last element, the comma before it).
    const start = index === list.length - 1 ? list[index - 1].getEnd() : binding.getStart(file);
    const end = index === list.length - 1 ? binding.getEnd() : list[index + 1].getStart(file);
    return { edits: [{ fileName: file.fileName, start, end, newText: '' }, ...(added ? [added] : [])] };
  }
  return listRemoval(binding, added);
}

/** The import or `require` statement a binding's list is in, removed as a whole (or swapped for the new import). */
function listRemoval(binding: ts.ImportSpecifier | ts.BindingElement, added: TextEdit | undefined): { edits: TextEdit[]; statement?: ts.Statement } {
  const file = binding.getSourceFile();
  let node: ts.Node = binding;
  while (!ts.isSourceFile(node.parent) && !(ts.isImportDeclaration(node) || ts.isVariableStatement(node))) node = node.parent;
  if (!ts.isImportDeclaration(node) && !ts.isVariableStatement(node)) return { edits: added ? [added] : [] };
  // An `import` or a `const { … } = require(…)` of this name alone: removed, or swapped for the new one where they meet.
  return { edits: importSwap(file, node, added), statement: node };
}
