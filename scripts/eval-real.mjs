#!/usr/bin/env node
// `npm run eval:real -- <snapshots dir> [--from-mirror] [--mirror dir] [--repo owner/name]... [--tools untyped,typed,cli] [--json out.json]`
//
// Scores Stateless against the hand-labeled real-world corpus (test/real-world/labels/*.json):
// ESLint untyped, ESLint typed (where the repository has a tsconfig) and `stateless report`, each
// matched to the labels by rule, file and line (±2), with per-tool per-rule precision and recall,
// the false positives and the misses. Each repository is read from <snapshots dir>/<owner>__<name>
// at its pinned commit; `--from-mirror` first extracts it there from a bare git dir
// (<mirror>/<owner>+<name>/repo; `--mirror` names the folder, default /work/.mirror). Never runs the repositories' code and
// never loads their ESLint configuration.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { countByRule, matchFindings, rates, validateLabelFile } from './eval-real/score.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const labelsDir = path.join(root, 'test', 'real-world', 'labels');

/** The hazard classes labels may name: the rules of DESIGN.md, whether or not the plugin has them yet. */
export const HAZARD_RULES = [
  'no-in-memory-session',
  'no-local-disk-write',
  'no-in-memory-counter',
  'no-blocking-request-work',
  'no-replica-read-after-write',
  'no-in-process-scheduler',
  'no-in-memory-pubsub',
  'no-in-process-lock',
  'no-process-local-cache',
];

const TOOLS = ['untyped', 'typed', 'cli'];
const SOURCE_GLOBS = ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx', '**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const IGNORES = ['**/node_modules/**', '**/dist/**', '**/build/**', '**/out/**', '**/.next/**', '**/coverage/**', '**/vendor/**', '**/*.min.js', '**/*.bundle.js', '**/*.d.ts'];
const MAX_FILE_BYTES = 1_000_000;

function parseArguments(argv) {
  const options = { snapshots: undefined, mirror: undefined, repos: [], tools: TOOLS, json: undefined };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--from-mirror') options.mirror ??= '/work/.mirror';
    else if (argument === '--mirror') options.mirror = argv[++index];
    else if (argument === '--repo') options.repos.push(argv[++index]);
    else if (argument === '--tools') options.tools = argv[++index].split(',').filter((tool) => TOOLS.includes(tool));
    else if (argument === '--json') options.json = argv[++index];
    else if (argument.startsWith('-')) throw new Error(`unknown option ${argument}`);
    else if (options.snapshots === undefined) options.snapshots = argument;
    else throw new Error(`unexpected argument ${argument}`);
  }
  if (!options.snapshots) throw new Error('usage: npm run eval:real -- <snapshots dir> [--from-mirror] [--mirror dir] [--repo owner/name]... [--tools untyped,typed,cli] [--json out.json]');
  return options;
}

function readLabelFiles(only) {
  const files = fs.readdirSync(labelsDir).filter((name) => name.endsWith('.json')).sort();
  const result = [];
  for (const name of files) {
    const data = JSON.parse(fs.readFileSync(path.join(labelsDir, name), 'utf8'));
    const problems = validateLabelFile(data, HAZARD_RULES);
    if (problems.length > 0) throw new Error(`${name}: ${problems.join('; ')}`);
    if (only.length === 0 || only.includes(data.repo)) result.push(data);
  }
  return result;
}

const snapshotDir = (snapshots, repo) => path.join(snapshots, repo.replace('/', '__'));

/**
 * Writes the pinned commit's files from the bare mirror (no checkout, no hooks, nothing of the
 * repository runs). Snapshots may lack their largest blobs: those files are left out.
 */
function materialise(snapshots, mirror, labelFile) {
  const target = snapshotDir(snapshots, labelFile.repo);
  const stamp = path.join(target, '.eval-real-commit');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === labelFile.commit) return;
  const gitDir = path.join(mirror, labelFile.repo.replace('/', '+'), 'repo');
  if (!fs.existsSync(gitDir)) throw new Error(`${labelFile.repo}: no mirror at ${gitDir}`);
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  const tree = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', labelFile.commit], { maxBuffer: 1 << 28 }).toString();
  const blobs = tree
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, name] = line.split('\t');
      const [mode, type, hash] = meta.split(' ');
      return { mode, type, hash, name };
    })
    .filter((entry) => entry.type === 'blob' && entry.mode !== '120000');
  const batch = spawnSync('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { input: blobs.map((blob) => blob.hash).join('\n') + '\n', maxBuffer: 1 << 30 });
  const output = batch.stdout;
  let offset = 0;
  for (const blob of blobs) {
    const headerEnd = output.indexOf(10, offset);
    const header = output.subarray(offset, headerEnd).toString();
    offset = headerEnd + 1;
    if (header.endsWith(' missing')) continue;
    const size = Number(header.split(' ')[2]);
    const destination = path.join(target, blob.name);
    if (!destination.startsWith(target + path.sep)) continue;
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    fs.writeFileSync(destination, output.subarray(offset, offset + size));
    offset += size + 1;
  }
  fs.writeFileSync(stamp, `${labelFile.commit}\n`);
}

const relativeTo = (dir, fileName) => path.relative(dir, fileName).replace(/\\/g, '/');

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', 'out', '.next', 'coverage', 'vendor', '.git']);
const SOURCE_FILE = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/;
const GENERATED_FILE = /\.(?:min|bundle)\.js$|\.d\.[cm]?ts$/;

/** Source files under the label file's roots (or the whole repository), minus generated, vendored and huge ones. */
function lintTargets(dir, labelFile) {
  const files = [];
  const walk = (folder) => {
    let entries;
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !GENERATED_FILE.test(entry.name) && fs.statSync(full).size <= MAX_FILE_BYTES) {
        files.push(full);
      }
    }
  };
  for (const folder of labelFile.roots ?? ['.']) walk(path.join(dir, folder));
  if (labelFile.roots) files.push(...importedFromRoots(dir, files));
  return files;
}

/**
 * The service's own modules outside its roots, reached by imports from the files under them
 * (etherpad's `src/node` imports its plugin installer from `src/static/js/pluginfw`): linting the
 * service lints them, as `stateless report` analyses them in its program.
 */
function importedFromRoots(dir, rootFiles) {
  const { ProjectIndex } = require(path.join(root, 'core', 'dist', 'index.js'));
  const index = new ProjectIndex(dir);
  const seen = new Set(rootFiles);
  const outside = [];
  const queue = [...rootFiles];
  for (let i = 0; i < queue.length; i++) {
    for (const target of index.importsOf(queue[i])) {
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
      const relative = relativeTo(dir, target);
      if (relative.split('/').some((folder) => SKIPPED_DIRS.has(folder)) || GENERATED_FILE.test(target) || fs.statSync(target).size > MAX_FILE_BYTES) continue;
      outside.push(target);
    }
  }
  return outside;
}

async function runEslint(dir, labelFile, typed) {
  const { ESLint } = require('eslint');
  const tsParser = require('@typescript-eslint/parser');
  const plugin = require(path.join(root, 'eslint-plugin', 'dist', 'index.js'));
  const recommended = plugin.configs.recommended;
  const base = [
    { ignores: IGNORES },
    { files: SOURCE_GLOBS, linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true } },
    {
      files: ['**/*.js', '**/*.mjs', '**/*.jsx'],
      languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
    },
    { files: ['**/*.cjs'], languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } },
    { files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } } } },
    { files: SOURCE_GLOBS, ...recommended },
  ];
  const targets = lintTargets(dir, labelFile);
  const javaScriptFirst = typed ? javaScriptFirstConfigs(dir, targets) : [];
  // JavaScript is linted typed too: by the project service where a tsconfig or jsconfig includes
  // it, and through a config with `allowJs` beside each tsconfig that leaves it unset over a
  // JavaScript service (what a user typing such a service writes; the report reads it so too).
  const typedConfig = [
    ...base,
    {
      files: SOURCE_GLOBS,
      languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: dir, ecmaFeatures: { jsx: true } } },
    },
    ...javaScriptFirst.map(({ evalConfig, files }) => ({
      files: files.map((file) => relativeTo(dir, file)),
      languageOptions: { parser: tsParser, parserOptions: { projectService: false, project: [evalConfig], tsconfigRootDir: dir, ecmaFeatures: { jsx: true } } },
    })),
  ];
  const lint = async (config, targets) => {
    const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config, errorOnUnmatchedPattern: false, warnIgnored: false });
    return eslint.lintFiles(targets);
  };
  let results;
  try {
    for (const { evalConfig, tsconfig } of javaScriptFirst) fs.writeFileSync(evalConfig, `${JSON.stringify({ extends: `./${path.basename(tsconfig)}`, compilerOptions: { allowJs: true, checkJs: false } })}\n`);
    results = await lint(typed ? typedConfig : base, targets);
  } finally {
    for (const { evalConfig } of javaScriptFirst) fs.rmSync(evalConfig, { force: true });
  }
  // Files the typed run could not place in any tsconfig, and CommonJS files espree refused as
  // modules, are linted again: untyped, or as scripts.
  const notInProject = results.filter((result) => result.messages.some((message) => message.fatal && /was not found by the project service|not included in|parserOptions.project/.test(message.message))).map((result) => result.filePath);
  const stats = { files: results.length, typedFiles: typed ? results.length - notInProject.length : 0, parseErrors: 0 };
  if (notInProject.length > 0) {
    const again = await lint(base, notInProject);
    results = results.filter((result) => !notInProject.includes(result.filePath)).concat(again);
  }
  const moduleErrors = results.filter((result) => /\.jsx?$/.test(result.filePath) && result.messages.some((message) => message.fatal)).map((result) => result.filePath);
  if (moduleErrors.length > 0) {
    const scriptConfig = [...base, { files: ['**/*.js', '**/*.jsx'], languageOptions: { sourceType: 'commonjs' } }];
    const again = await lint(scriptConfig, moduleErrors);
    results = results.filter((result) => !moduleErrors.includes(result.filePath)).concat(again);
  }
  const findings = [];
  for (const result of results) {
    for (const message of result.messages) {
      if (message.fatal || message.ruleId === null) {
        stats.parseErrors++;
        continue;
      }
      if (!message.ruleId.startsWith('stateless/')) continue;
      findings.push({ rule: message.ruleId.slice('stateless/'.length), file: relativeTo(dir, result.filePath), line: message.line, message: message.message });
    }
  }
  return { findings, stats };
}

/**
 * The tsconfig.json files nearest to the JavaScript targets that leave `allowJs` unset over a
 * JavaScript service (core's Project reads them with `allowJs`), each with its JavaScript targets
 * and the name of the config with `allowJs` the typed run writes beside it for them.
 */
function javaScriptFirstConfigs(dir, targets) {
  const { Project } = require(path.join(root, 'core', 'dist', 'index.js'));
  const ts = require('typescript');
  const byConfig = new Map();
  for (const file of targets.filter((name) => /\.[cm]?jsx?$/.test(name))) {
    let folder = path.dirname(file);
    while (folder.startsWith(dir) && !fs.existsSync(path.join(folder, 'tsconfig.json')) && !fs.existsSync(path.join(folder, 'jsconfig.json'))) folder = path.dirname(folder);
    const tsconfig = path.join(folder, 'tsconfig.json');
    if (!folder.startsWith(dir) || !fs.existsSync(tsconfig)) continue;
    if (!byConfig.has(tsconfig)) byConfig.set(tsconfig, []);
    byConfig.get(tsconfig).push(file);
  }
  const configs = [];
  for (const [tsconfig, files] of byConfig) {
    const raw = ts.readConfigFile(tsconfig, ts.sys.readFile).config ?? {};
    if (raw.compilerOptions?.allowJs !== undefined || raw.references) continue;
    if (new Project(path.dirname(tsconfig), tsconfig).compilerOptions.allowJs !== true) continue;
    configs.push({ tsconfig, files, evalConfig: path.join(path.dirname(tsconfig), 'tsconfig.stateless-eval.json') });
  }
  return configs;
}

/**
 * ESLint in a process of its own per repository and tool: typed linting keeps every repository's
 * TypeScript project in memory for the life of the process (typescript-eslint's project service and
 * the plugin's caches), and all three tools over the corpus in one process ran out of heap.
 */
function runEslintInChild(dir, labelFile, tool) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--eslint-child', dir, labelFile.repo, tool], { maxBuffer: 1 << 28, timeout: 30 * 60_000 });
  if (run.status !== 0) throw new Error(`ESLint ${tool} exited with ${run.status ?? run.signal}: ${run.stderr.toString().trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(run.stdout.toString());
}

async function eslintChild([dir, repo, tool]) {
  const [labelFile] = readLabelFiles([repo]);
  process.stdout.write(JSON.stringify(await runEslint(dir, labelFile, tool === 'typed')));
}

function runCli(dir, labelFile) {
  const main = path.join(root, 'server', 'dist', 'cli', 'main.js');
  const findings = [];
  for (const folder of labelFile.roots ?? ['.']) {
    const cwd = path.join(dir, folder);
    const run = spawnSync(process.execPath, [main, 'report', cwd, '--format', 'json'], { maxBuffer: 1 << 28, timeout: 15 * 60_000 });
    if (run.status !== 0) throw new Error(`stateless report failed on ${labelFile.repo}/${folder}: ${run.stderr?.toString() ?? run.error}`);
    for (const entry of JSON.parse(run.stdout.toString())) {
      findings.push({ rule: entry.ruleId, file: relativeTo(dir, path.join(cwd, entry.path)), line: entry.line, message: entry.message });
    }
  }
  return { findings, stats: {} };
}

/**
 * Whether a tsconfig.json is in a root, under it, or in a folder between the repository and the root
 * (the project service finds the nearest one above each file: `backend/tsconfig.json` for the root
 * `backend/src`).
 */
function hasTsconfig(dir, labelFile) {
  const above = (folder) => {
    for (let current = path.dirname(folder); current.startsWith(dir) && current !== folder; folder = current, current = path.dirname(current)) {
      if (fs.existsSync(path.join(current, 'tsconfig.json'))) return true;
    }
    return false;
  };
  const search = (folder, depth) => {
    if (fs.existsSync(path.join(folder, 'tsconfig.json'))) return true;
    if (depth === 0) return false;
    let entries;
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((entry) => entry.isDirectory() && !SKIPPED_DIRS.has(entry.name) && search(path.join(folder, entry.name), depth - 1));
  };
  return (labelFile.roots ?? ['.']).some((folder) => search(path.join(dir, folder), 3) || above(path.join(dir, folder)));
}

const percent = (value) => (value === undefined ? '   –' : `${Math.round(value * 100)}%`.padStart(4));

function printTable(title, counts, implemented) {
  console.log(`\n## ${title}\n`);
  console.log('| rule | TP | FP | FN | dup | quiet hit | precision | recall |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const total = { tp: 0, fp: 0, fn: 0, dup: 0, quietHit: 0 };
  for (const [rule, count] of counts) {
    for (const key of Object.keys(total)) total[key] += count[key];
    const { precision, recall } = rates(count);
    const marker = implemented.has(rule) ? '' : ' (not in tool)';
    console.log(`| ${rule}${marker} | ${count.tp} | ${count.fp} | ${count.fn} | ${count.dup} | ${count.quietHit} | ${percent(precision)} | ${percent(recall)} |`);
  }
  const { precision, recall } = rates(total);
  console.log(`| **total** | ${total.tp} | ${total.fp} | ${total.fn} | ${total.dup} | ${total.quietHit} | ${percent(precision)} | ${percent(recall)} |`);
  const implementedTotal = { tp: 0, fp: 0, fn: 0 };
  for (const [rule, count] of counts) if (implemented.has(rule)) for (const key of Object.keys(implementedTotal)) implementedTotal[key] += count[key];
  const onImplemented = rates(implementedTotal);
  console.log(`| total, rules in the tool | ${implementedTotal.tp} | ${implementedTotal.fp} | ${implementedTotal.fn} | | | ${percent(onImplemented.precision)} | ${percent(onImplemented.recall)} |`);
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const snapshots = path.resolve(options.snapshots);
  const labelFiles = readLabelFiles(options.repos);
  const implemented = new Set(Object.keys(require(path.join(root, 'eslint-plugin', 'dist', 'index.js')).rules));
  const perTool = Object.fromEntries(options.tools.map((tool) => [tool, []]));
  const report = [];
  for (const labelFile of labelFiles) {
    if (options.mirror) materialise(snapshots, options.mirror, labelFile);
    const dir = snapshotDir(snapshots, labelFile.repo);
    if (!fs.existsSync(dir)) throw new Error(`${labelFile.repo}: no snapshot at ${dir} (use --from-mirror)`);
    const entry = { repo: labelFile.repo, tools: {} };
    for (const tool of options.tools) {
      if (tool === 'typed' && !hasTsconfig(dir, labelFile)) continue;
      const started = Date.now();
      let outcome;
      try {
        outcome = tool === 'cli' ? runCli(dir, labelFile) : runEslintInChild(dir, labelFile, tool);
      } catch (error) {
        console.error(`${labelFile.repo} ${tool}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const match = matchFindings(labelFile.labels, outcome.findings);
      perTool[tool].push({ repo: labelFile.repo, match });
      entry.tools[tool] = { ...outcome.stats, seconds: (Date.now() - started) / 1000, match };
      console.error(`${labelFile.repo} ${tool}: ${outcome.findings.length} findings, ${match.truePositives.length} TP, ${match.falsePositives.length} FP, ${match.misses.length} missed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
    report.push(entry);
  }
  console.log(`# Real-world corpus: ${labelFiles.length} repositories, ${labelFiles.reduce((sum, file) => sum + file.labels.filter((label) => label.kind === 'hazard').length, 0)} hazards, ${labelFiles.reduce((sum, file) => sum + file.labels.filter((label) => label.kind === 'quiet').length, 0)} quiet look-alikes`);
  const names = { untyped: 'ESLint, untyped', typed: 'ESLint, typed (repositories with a tsconfig)', cli: 'stateless report' };
  for (const tool of options.tools) {
    const scored = perTool[tool];
    // Recall of a tool is over the repositories it ran on (typed runs only where a tsconfig is).
    printTable(`${names[tool]} — ${scored.length} repositories`, countByRule(scored.map(({ match }) => match), HAZARD_RULES), implemented);
    const falsePositives = scored.flatMap(({ repo, match }) => match.falsePositives.map((fp) => ({ repo, ...fp })));
    const misses = scored.flatMap(({ repo, match }) => match.misses.map((label) => ({ repo, label })));
    console.log(`\n### ${names[tool]}: false positives (${falsePositives.length})\n`);
    for (const { repo, finding, quiet } of falsePositives) console.log(`- ${repo} ${finding.file}:${finding.line} ${finding.rule}${quiet ? ` — labeled quiet: ${quiet.why}` : ''}`);
    console.log(`\n### ${names[tool]}: misses (${misses.length})\n`);
    for (const { repo, label } of misses) console.log(`- ${repo} ${label.file}:${label.line} ${label.rule}${implemented.has(label.rule) ? '' : ' (not in tool)'} — ${label.why}`);
  }
  if (perTool.typed?.length > 0 && perTool.cli) printSameRepositories(perTool, implemented);
  if (options.json) fs.writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
}

/**
 * Typed ESLint runs only where a tsconfig is, so its totals and the report's cover different
 * repositories: this compares every tool on the repositories typed ESLint ran on, rules in the tool only.
 */
function printSameRepositories(perTool, implemented) {
  const typedRepos = new Set(perTool.typed.map(({ repo }) => repo));
  console.log(`\n## The same ${typedRepos.size} repositories (those with a tsconfig), every tool\n`);
  console.log('| tool | TP | FP | FN | precision | recall |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  const names = { untyped: 'ESLint, untyped', typed: 'ESLint, typed', cli: 'stateless report' };
  for (const [tool, scored] of Object.entries(perTool)) {
    const total = { tp: 0, fp: 0, fn: 0 };
    const counts = countByRule(scored.filter(({ repo }) => typedRepos.has(repo)).map(({ match }) => match), HAZARD_RULES);
    for (const [rule, count] of counts) if (implemented.has(rule)) for (const key of Object.keys(total)) total[key] += count[key];
    const { precision, recall } = rates(total);
    console.log(`| ${names[tool]} | ${total.tp} | ${total.fp} | ${total.fn} | ${percent(precision)} | ${percent(recall)} |`);
  }
}

(process.argv[2] === '--eslint-child' ? eslintChild(process.argv.slice(3)) : main()).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
