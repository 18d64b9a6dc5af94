import ts = require('typescript');
import type { DependencyToAdd, Finding, FixPlan, RuleId, StatelessConfig } from './types';
import { analyzeSourceFile } from './analysis/analyze';
import { loadProjectConfig, resolveConfig } from './config';
import { planFixes } from './fixes';

/** Compiler options for a JavaScript project (a jsconfig.json, or no config at all), as editors assume them. */
const JAVASCRIPT_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  jsx: ts.JsxEmit.Preserve,
  allowSyntheticDefaultImports: true,
  maxNodeModuleJsDependencyDepth: 0,
  skipLibCheck: true,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
};
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const NOT_SOURCE = ['**/node_modules', '**/dist', '**/build', '**/out', '**/coverage', '**/.next', '**/.nuxt', '**/.turbo', '**/.cache'];

/**
 * The compiler config of a project folder: its own tsconfig.json, else its jsconfig.json (a
 * JavaScript project, e.g. Next.js), else a tsconfig.json above it that includes its files.
 */
export function findCompilerConfig(rootDir: string): string | undefined {
  const root = rootDir.replace(/\\/g, '/').replace(/\/+$/, '');
  for (const name of ['tsconfig.json', 'jsconfig.json']) if (ts.sys.fileExists(`${root}/${name}`)) return `${root}/${name}`;
  const above = ts.findConfigFile(root, (fileName) => ts.sys.fileExists(fileName));
  if (!above) return undefined;
  try {
    const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(above, (name) => ts.sys.readFile(name)).config ?? {}, ts.sys, above.replace(/\/[^/]*$/, ''));
    return parsed.fileNames.some((fileName) => fileName.startsWith(`${root}/`)) ? above : undefined;
  } catch {
    return undefined;
  }
}

/** A TypeScript or JavaScript project on disk, seen through in-memory edits (nothing is written until the caller writes `changedFiles`). */
export class Project {
  private readonly overlay = new Map<string, string>();
  private program: ts.Program | undefined;
  readonly rootDir: string;
  readonly config: StatelessConfig;
  /** The `stateless.config.json` (or package.json) the configuration came from, if any. */
  readonly configFile: string | undefined;
  /** What was wrong with that configuration (the rest of it applies, the defaults replace the wrong parts). */
  readonly configProblems: readonly string[];

  constructor(rootDir: string, private readonly tsconfig: string | undefined = findCompilerConfig(rootDir)) {
    this.rootDir = rootDir.replace(/\\/g, '/').replace(/\/+$/, '');
    const loaded = loadProjectConfig(this.rootDir);
    const problems = [...loaded.problems];
    this.config = resolveConfig([loaded.input], problems);
    this.configFile = loaded.configFile;
    this.configProblems = problems;
  }

  /** The program over the current texts (rebuilt after edits, reusing what did not change). */
  getProgram(): ts.Program {
    if (this.program) return this.program;
    let fileNames: string[];
    let options: ts.CompilerOptions;
    if (this.tsconfig) {
      // jsconfig.json is a tsconfig with JavaScript defaults (allowJs), as TypeScript's editor support reads it.
      const isJsConfig = this.tsconfig.endsWith('/jsconfig.json');
      const configDir = this.tsconfig.replace(/\/[^/]*$/, '');
      const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(this.tsconfig, (name) => this.read(name)).config ?? {}, { ...ts.sys, readFile: (name) => this.read(name) }, configDir, isJsConfig ? JAVASCRIPT_OPTIONS : undefined, this.tsconfig);
      fileNames = parsed.fileNames.filter((fileName) => !NOT_SOURCE.some((folder) => fileName.includes(`/${folder.slice(3)}/`)));
      options = parsed.options;
    } else {
      fileNames = ts.sys.readDirectory(this.rootDir, SOURCE_EXTENSIONS, NOT_SOURCE, undefined);
      options = JAVASCRIPT_OPTIONS;
    }
    const created = [...this.overlay.keys()].filter((name) => /\.[cm]?tsx?$/.test(name) && !fileNames.includes(name));
    const host = ts.createCompilerHost({ ...options, noEmit: true }, true);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (name) => this.read(name);
    host.fileExists = (name) => this.overlay.has(name) || ts.sys.fileExists(name);
    host.getSourceFile = (name, languageVersion, onError) => {
      const text = this.overlay.get(name);
      return text !== undefined ? ts.createSourceFile(name, text, languageVersion, true) : getSourceFile(name, languageVersion, onError);
    };
    this.program = ts.createProgram({ rootNames: [...fileNames, ...created], options: { ...options, noEmit: true }, host, oldProgram: this.program });
    return this.program;
  }

  read(fileName: string): string | undefined {
    return this.overlay.get(fileName) ?? ts.sys.readFile(fileName);
  }

  /** The project's own source files (no declarations, no node_modules). */
  sourceFiles(): ts.SourceFile[] {
    const program = this.getProgram();
    return program.getSourceFiles().filter((file) => !file.isDeclarationFile && !program.isSourceFileFromExternalLibrary(file) && !file.fileName.includes('/node_modules/'));
  }

  analyze(rules?: readonly RuleId[]): { file: ts.SourceFile; finding: Finding }[] {
    const program = this.getProgram();
    return this.sourceFiles().flatMap((file) => analyzeSourceFile(file, { program, config: this.config, rules, projectRoot: this.rootDir }).map((finding) => ({ file, finding })));
  }

  /** Applies a plan's edits, created files and dependencies to the in-memory texts. */
  apply(plan: FixPlan): void {
    const byFile = new Map<string, FixPlan['edits']>();
    for (const edit of plan.edits) byFile.set(edit.fileName, [...(byFile.get(edit.fileName) ?? []), edit]);
    for (const [fileName, edits] of byFile) {
      let text = this.read(fileName) ?? '';
      for (const edit of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
      this.overlay.set(fileName, text);
    }
    for (const file of plan.createFiles) if (this.read(file.fileName) === undefined) this.overlay.set(file.fileName, file.text);
    if (plan.dependencies.length > 0) this.addDependencies(plan.dependencies);
    this.program = undefined;
  }

  private addDependencies(dependencies: readonly DependencyToAdd[]): void {
    const packageJson = `${this.rootDir}/package.json`;
    const text = this.read(packageJson);
    const updated = text === undefined ? undefined : withDependencies(text, dependencies);
    if (updated !== undefined) this.overlay.set(packageJson, updated);
  }

  /** Files whose text differs from disk, with both texts (`before` undefined for a new file). */
  changedFiles(): { fileName: string; before: string | undefined; after: string }[] {
    return [...this.overlay]
      .map(([fileName, after]) => ({ fileName, before: ts.sys.readFile(fileName), after }))
      .filter((change) => change.before !== change.after)
      .sort((a, b) => a.fileName.localeCompare(b.fileName));
  }
}

export interface FixOutcome {
  applied: { ruleId: RuleId; fileName: string; message: string }[];
  refused: { ruleId: RuleId; fileName: string; title: string; reason: string }[];
}

/**
 * Applies every fix Stateless can plan, one at a time, re-analysing after each (edits move
 * offsets): the same plans the editor offers as quick-fixes. Each finding is tried once; the
 * last plan of a finding (the one that moves the state) is the one applied.
 */
export function fixProject(project: Project, rules?: readonly RuleId[], maxFixes = 200): FixOutcome {
  const outcome: FixOutcome = { applied: [], refused: [] };
  const tried = new Set<string>();
  for (let round = 0; round < maxFixes; round++) {
    const program = project.getProgram();
    let applied = false;
    // Files in name order, findings in text order: the order an editor user working down the Problems list applies them.
    const found = project.analyze(rules).sort((a, b) => (a.file.fileName < b.file.fileName ? -1 : a.file.fileName > b.file.fileName ? 1 : a.finding.start - b.finding.start));
    for (const { file, finding } of found) {
      const key = `${finding.ruleId}\u0000${file.fileName}\u0000${finding.message}`;
      if (tried.has(key)) continue;
      tried.add(key);
      const planned = planFixes(file, finding, { program, config: project.config, projectRoot: project.rootDir });
      const plan = planned.plans[planned.plans.length - 1];
      if (!plan) {
        const refused = planned.refused;
        if (refused && !outcome.refused.some((entry) => entry.fileName === file.fileName && entry.reason === refused.reason)) outcome.refused.push({ ruleId: finding.ruleId, fileName: file.fileName, ...refused });
        continue;
      }
      project.apply(plan);
      outcome.applied.push({ ruleId: finding.ruleId, fileName: file.fileName, message: plan.message });
      applied = true;
      break;
    }
    if (!applied) break;
  }
  return outcome;
}

/**
 * package.json text with the dependencies it lacks added (sorted, in its own indentation), or
 * undefined when nothing changes or the text is not JSON.
 */
export function withDependencies(text: string, dependencies: readonly DependencyToAdd[]): string | undefined {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  let changed = false;
  for (const dependency of dependencies) {
    const field = dependency.dev ? 'devDependencies' : 'dependencies';
    const present = [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies].some((table) => table && typeof table === 'object' && dependency.name in table);
    if (present) continue;
    const table = { ...((manifest[field] as Record<string, string> | undefined) ?? {}), [dependency.name]: dependency.version };
    manifest[field] = Object.fromEntries(Object.entries(table).sort(([a], [b]) => a.localeCompare(b)));
    changed = true;
  }
  if (!changed) return undefined;
  const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  ';
  return `${JSON.stringify(manifest, null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
}
