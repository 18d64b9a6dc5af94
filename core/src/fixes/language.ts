import ts = require('typescript');
import type { FileToCreate, FixPlan } from '../types';
import { adapterTemplates } from '../generated/adapter-templates';

/** The language and module system a project's own sources are written in: adapters are generated in it. */
export interface ProjectLanguage {
  typescript: boolean;
  /**
   * TypeScript: whether the project's relative imports name the `.js` the compiler emits
   * (`'./db.js'`), as Node's ESM resolution needs. Where they do not (a bundler such as Next.js's
   * webpack, which does not map `./redis.js` to `redis.ts`), the adapters import without it too.
   */
  extensions: boolean;
  /** How JavaScript modules import and export (for TypeScript, what the adapters' `.ts` sources use is kept). */
  module: 'esm' | 'commonjs';
}

const languages = new WeakMap<ts.Program, ProjectLanguage>();

/**
 * Detected once per program: TypeScript when the project has its own `.ts` sources; otherwise
 * JavaScript, whose adapters are ESM when package.json says `"type": "module"` and CommonJS
 * otherwise: Node loads a `.js` file as the package type says, and ESM files (`.mjs`, or `import`
 * syntax under a bundler) import a CommonJS module's `module.exports = { … }` names as well.
 */
export function projectLanguage(program: ts.Program, projectRoot: string): ProjectLanguage {
  const cached = languages.get(program);
  if (cached) return cached;
  const typescript = program.getSourceFiles().some((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && !file.fileName.includes('/node_modules/') && /\.[cm]?tsx?$/.test(file.fileName));
  const language: ProjectLanguage = { typescript, extensions: !typescript || importsWithExtensions(program), module: nearestPackageType(projectRoot) === 'module' ? 'esm' : 'commonjs' };
  languages.set(program, language);
  return language;
}

/**
 * The language a plan's adapters are written in: the project's, unless every file the plan edits is
 * JavaScript in a project that also holds TypeScript (an Express server beside a React client in
 * TypeScript, a JavaScript service in a TypeScript monorepo). Those files load the adapters, and
 * Node loads no `.ts`: `require('../src/scaling/object-store')` of a `.ts` adapter type-checks and
 * then fails when the server starts.
 */
export function planLanguage(plan: Pick<FixPlan, 'edits' | 'createFiles'>, language: ProjectLanguage): ProjectLanguage {
  if (!language.typescript) return language;
  const created = new Set(plan.createFiles.map((file) => file.fileName));
  const edited = [...new Set(plan.edits.map((edit) => edit.fileName))].filter((fileName) => !created.has(fileName) && !fileName.endsWith('.json'));
  if (edited.length === 0 || !edited.every((fileName) => /\.[cm]?jsx?$/.test(fileName))) return language;
  const module = edited.every((fileName) => fileName.endsWith('.mjs') || (!fileName.endsWith('.cjs') && nearestPackageType(fileName.slice(0, fileName.lastIndexOf('/'))) === 'module')) ? 'esm' : 'commonjs';
  return { typescript: false, extensions: true, module };
}

/** The project's own relative imports name `.js` (any of them), or there are none and the compiler resolves as Node does. */
function importsWithExtensions(program: ts.Program): boolean {
  const specifiers = program
    .getSourceFiles()
    .filter((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && !file.fileName.includes('/node_modules/'))
    .flatMap((file) => file.statements.filter(ts.isImportDeclaration).map((statement) => (ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : '')))
    .filter((specifier) => specifier.startsWith('.'));
  if (specifiers.length > 0) return specifiers.some((specifier) => /\.[cm]?js$/.test(specifier));
  return resolvesAsNode(program.getCompilerOptions());
}

/** The compiler resolves modules as Node does (`node16`/`nodenext`), where ES modules import with `.js`. */
export function resolvesAsNode(options: ts.CompilerOptions): boolean {
  return options.moduleResolution === ts.ModuleResolutionKind.NodeNext || options.moduleResolution === ts.ModuleResolutionKind.Node16 || options.module === ts.ModuleKind.NodeNext || options.module === ts.ModuleKind.Node16;
}

function packageType(folder: string): string | undefined {
  const text = ts.sys.readFile(`${folder.replace(/\/+$/, '')}/package.json`);
  if (text === undefined) return undefined;
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return typeof type === 'string' ? type : 'commonjs';
  } catch {
    return undefined;
  }
}

/** The `"type"` of the nearest package.json above a folder (`commonjs` when it has none). */
export function nearestPackageType(folder: string): string | undefined {
  for (let current = folder; ; ) {
    const type = packageType(current);
    if (type !== undefined) return type;
    const parent = current.slice(0, current.lastIndexOf('/'));
    if (parent === current || parent === '') return undefined;
    current = parent;
  }
}

/**
 * A plan written for TypeScript, in the project's language: in a JavaScript project the `.ts`
 * files it creates become `.js` modules (types stripped by the TypeScript compiler, imports and
 * exports in the project's module system), and the messages name the `.js` files.
 */
export function inProjectLanguage<T extends Omit<FixPlan, 'message'>>(plan: T, language: ProjectLanguage): T {
  if (language.typescript && language.extensions) return plan;
  if (language.typescript) {
    // `from './redis.js'` → `from './redis'` in the adapters it creates, as the project's own imports read.
    const extensionless = (text: string): string => text.replace(/(from\s+)'(\.{1,2}\/[^']*?)\.js'/g, "$1'$2'");
    return { ...plan, createFiles: plan.createFiles.map((file) => (file.fileName.endsWith('.ts') ? { ...file, text: extensionless(file.text) } : file)) };
  }
  const renamed = (fileName: string): string => fileName.replace(/\.ts$/, '.js');
  const createFiles = plan.createFiles.map((file) => (file.fileName.endsWith('.ts') ? { fileName: renamed(file.fileName), text: toJavaScript(file.text, language.module) } : file));
  createFiles.push(...folderModuleTypes(plan.createFiles, language.module));
  const data = Object.fromEntries(Object.entries(plan.data).map(([key, value]) => [key, adapterNames(value)]));
  // The comments a fix writes name the adapter too (`withLock in src/scaling/lock.js`).
  const edits = plan.edits.map((edit) => (/\/\/[^\n]*\.ts\b/.test(edit.newText) ? { ...edit, newText: edit.newText.replace(/\/\/[^\n]*/g, adapterNames) } : edit));
  return { ...plan, data, edits, createFiles };
}

/**
 * The `.js` adapters are written in the module system of the files that load them, which is not
 * always their folder's: ES modules for a server written as `.mjs` in a CommonJS package (Node would
 * read `src/scaling/redis.js`'s `import` as CommonJS and fail at start), CommonJS for `.cjs` files in
 * an ES-module package. A folder that holds only adapters gets a package.json of its own saying
 * which (`{ "type": "module" }`), unless it has one.
 */
function folderModuleTypes(created: readonly FileToCreate[], module: ProjectLanguage['module']): FileToCreate[] {
  const folders = new Set(created.filter((file) => file.fileName.endsWith('.ts')).map((file) => file.fileName.slice(0, file.fileName.lastIndexOf('/'))));
  const type = module === 'esm' ? 'module' : 'commonjs';
  return [...folders]
    .filter((folder) => (nearestPackageType(folder) === 'module' ? 'module' : 'commonjs') !== type && !ts.sys.fileExists(`${folder}/package.json`) && !created.some((file) => file.fileName === `${folder}/package.json`))
    .map((folder) => ({ fileName: `${folder}/package.json`, text: `${JSON.stringify({ '//': `Generated by Stateless: the adapters in this folder are ${module === 'esm' ? 'ES modules' : 'CommonJS modules'}, as the files that load them are.`, type }, null, 2)}\n` }));
}

/** `worker.ts` → `worker.js` for the adapters' own names (and the jobs list a fix writes), in a message or a comment. */
function adapterNames(value: string): string {
  return value.replace(/\b([\w-]+)\.ts\b/g, (match: string, name: string) => (`${name}.ts` in adapterTemplates || name === 'jobs' ? `${name}.js` : match));
}

const javascript = new Map<string, string>();

/** A TypeScript module as JavaScript in the given module system (cached: the templates are few). */
export function toJavaScript(text: string, module: ProjectLanguage['module']): string {
  const key = `${module}\u0000${text}`;
  const cached = javascript.get(key);
  if (cached !== undefined) return cached;
  const esm = ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext }, fileName: 'module.ts' }).outputText;
  const converted = module === 'esm' ? withRelativeExtensions(twoSpaceIndent(esm)) : toCommonJs(twoSpaceIndent(esm));
  // The header line ("Generated by Stateless: …") goes with a first statement the compiler erases (`import type`): keep it.
  const header = /^\/\/[^\n]*\n/.exec(text)?.[0];
  const withHeader = header !== undefined && !converted.startsWith(header) ? `${header}${converted}` : converted;
  // Its comments name the other adapters as JavaScript modules too ("runs on a BullMQ queue (worker.js)").
  const result = withHeader.replace(/^[ \t]*(?:\/\/|\/\*|\*)[^\n]*/gm, adapterNames);
  javascript.set(key, result);
  return result;
}

/** The compiler prints with 4-space indents; the templates (and the lines fixes add) use 2. Template literal text is kept. */
function twoSpaceIndent(text: string): string {
  const file = ts.createSourceFile('module.js', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const literals: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) literals.push([node.getStart(file), node.getEnd()]);
    ts.forEachChild(node, visit);
  };
  visit(file);
  let offset = 0;
  return text
    .split('\n')
    .map((line) => {
      const start = offset;
      offset += line.length + 1;
      if (literals.some(([from, to]) => from < start && start < to)) return line;
      const indent = /^ */.exec(line)![0].length;
      return ' '.repeat(Math.floor(indent / 4) * 2 + (indent % 4)) + line.slice(indent);
    })
    .join('\n');
}

/** Node's ESM loader needs the extension: `./redis` → `./redis.js`. */
function withRelativeExtensions(text: string): string {
  return text.replace(/(from\s+|import\s*\(\s*)'(\.{1,2}\/[^']*?)'/g, (match: string, prefix: string, specifier: string) => (/\.[cm]?js$/.test(specifier) ? match : `${prefix}'${specifier}.js'`));
}

/** `import { a } from 'm'` → `const { a } = require('m')`; `export function f` → `function f` and `module.exports = { f }`. */
function toCommonJs(text: string): string {
  const file = ts.createSourceFile('module.js', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const exported: string[] = [];
  const replacements: { start: number; end: number; text: string }[] = [];
  const specifier = (node: ts.Expression): string => `'${(node as ts.StringLiteral).text.replace(/^(\.{1,2}\/.*)\.js$/, '$1')}'`;
  for (const statement of file.statements) {
    const range = { start: statement.getStart(file), end: statement.getEnd() };
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const from = `require(${specifier(statement.moduleSpecifier)})`;
      const lines: string[] = [];
      if (!clause) lines.push(`${from};`);
      else {
        if (clause.name) lines.push(`const ${clause.name.text} = ${from};`);
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) lines.push(`const ${bindings.name.text} = ${from};`);
        if (bindings && ts.isNamedImports(bindings)) {
          const names = bindings.elements.map((element) => (element.propertyName ? `${element.propertyName.text}: ${element.name.text}` : element.name.text));
          lines.push(`const { ${names.join(', ')} } = ${from};`);
        }
      }
      replacements.push({ ...range, text: lines.join('\n') });
    } else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause) && !statement.moduleSpecifier) {
      for (const element of statement.exportClause.elements) exported.push(element.propertyName ? `${element.name.text}: ${element.propertyName.text}` : element.name.text);
      replacements.push({ ...range, text: '' });
    } else {
      const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
      const keyword = modifiers.find((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
      if (!keyword) continue;
      if (ts.isVariableStatement(statement)) for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) exported.push(declaration.name.text);
      if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) exported.push(statement.name.text);
      replacements.push({ start: keyword.getStart(file), end: modifiers[modifiers.indexOf(keyword) + 1]?.getStart(file) ?? keywordEnd(statement, keyword, file), text: '' });
    }
  }
  let result = text;
  for (const replacement of replacements.sort((a, b) => b.start - a.start)) result = result.slice(0, replacement.start) + replacement.text + result.slice(replacement.end);
  return `${result.trimEnd()}\n\nmodule.exports = { ${exported.join(', ')} };\n`;
}

/** Where the text after `export ` starts (`function`, `const`, `class`, `async`). */
function keywordEnd(statement: ts.Statement, keyword: ts.Node, file: ts.SourceFile): number {
  let at = keyword.getEnd();
  while (at < statement.getEnd() && /\s/.test(file.text[at])) at++;
  return at;
}
