// Phases a–c: plain TypeScript parse, core analysis without types, core analysis with a Program.
import fs from 'node:fs';
import path from 'node:path';
import { best, gc } from './measure.mjs';

/** Loads @stateless/core from its build output; returns { core } or { reason } when it is not there (yet). */
export function loadCore(require, repoRoot) {
  const entry = path.join(repoRoot, 'core', 'dist', 'index.js');
  if (!fs.existsSync(entry)) return { reason: 'core not built (core/dist/index.js missing; run `npx tsc -b`)' };
  try {
    const core = require(entry);
    if (typeof core.analyzeSourceFile !== 'function' || typeof core.defaultConfig !== 'function') {
      return { reason: 'core built but does not export analyzeSourceFile/defaultConfig' };
    }
    return { core };
  } catch (error) {
    return { reason: `core not loadable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function parseAll(ts, inputs, mem) {
  const out = new Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    if ((i & 127) === 0) mem.tick();
    // Script kind (TS vs TSX) is inferred from the file name, as ESLint's parser does.
    out[i] = ts.createSourceFile(inputs[i].fileName, inputs[i].text, ts.ScriptTarget.Latest, true);
  }
  return out;
}

/** Analyses every file; per-file errors are counted, never allowed to stop the run. */
function analyzeAll(core, sourceFiles, options, mem, perFile) {
  const findings = new Array(sourceFiles.length);
  const errors = [];
  for (let i = 0; i < sourceFiles.length; i++) {
    if ((i & 127) === 0) mem.tick();
    if (!sourceFiles[i]) {
      findings[i] = [];
      continue;
    }
    const started = perFile ? performance.now() : 0;
    try {
      findings[i] = core.analyzeSourceFile(sourceFiles[i], options);
    } catch (error) {
      findings[i] = [];
      errors.push({ file: sourceFiles[i].fileName, message: error instanceof Error ? error.message : String(error) });
    }
    if (perFile) perFile[i] = performance.now() - started;
  }
  return { findings, errors };
}

/**
 * a + b: parse and untyped analysis, interleaved run by run. Each timed parse yields fresh
 * SourceFile objects, so the analysis that follows never hits core's per-SourceFile cache and
 * parse time is never inside the analysis measurement.
 */
export function runParseAndUntyped({ ts, core, inputs, runs, mem }) {
  const parseMs = [];
  const analyzeMs = [];
  const config = core ? core.defaultConfig() : undefined;
  let last;
  for (let run = -1; run < runs; run++) {
    // run -1 is the warm-up: JIT, lazy module init, config caches. Not recorded.
    gc();
    mem.begin('parse');
    let started = performance.now();
    let sourceFiles = parseAll(ts, inputs, mem);
    const parsed = performance.now() - started;
    mem.end();
    if (run >= 0) parseMs.push(parsed);
    if (!core) continue;
    gc();
    mem.begin('core untyped');
    const perFile = new Array(inputs.length);
    started = performance.now();
    const result = analyzeAll(core, sourceFiles, { config }, mem, perFile);
    const analyzed = performance.now() - started;
    mem.end();
    if (run >= 0) analyzeMs.push(analyzed);
    last = { ...result, perFile };
    sourceFiles = undefined;
  }
  return { parseMs, analyzeMs, last, paired: core ? pairedRound(ts, core, inputs, config, mem) : undefined };
}

/**
 * Paired measurement: parse file i, analyse it, next file. Bursts of host noise then hit
 * both sums alike, so this ratio is steadier than the batch one on a shared machine. It is
 * also the access pattern of a linter (parse, run rules, move on).
 */
function pairedRound(ts, core, inputs, config, mem) {
  gc();
  mem.begin('core paired');
  let parse = 0;
  let analyze = 0;
  for (let i = 0; i < inputs.length; i++) {
    if ((i & 127) === 0) mem.tick();
    const t0 = performance.now();
    const sourceFile = ts.createSourceFile(inputs[i].fileName, inputs[i].text, ts.ScriptTarget.Latest, true);
    const t1 = performance.now();
    try {
      core.analyzeSourceFile(sourceFile, { config });
    } catch {
      // counted in the batch runs
    }
    parse += t1 - t0;
    analyze += performance.now() - t1;
  }
  mem.end();
  return { parseMs: parse, analyzeMs: analyze };
}

/** Compiler options from the corpus tsconfig (written by the generator). */
function corpusCompilerOptions(ts, corpusDir) {
  const configFile = path.join(corpusDir, 'tsconfig.json');
  const read = ts.readConfigFile(configFile, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(read.config, ts.sys, corpusDir, undefined, configFile).options;
}

/**
 * c: one Program over the corpus, then typed analysis of every corpus file. Measured once:
 * core caches its request graph per Program, so a second pass over the same Program would
 * measure the cache. Checker creation (which binds every file) is timed with the program,
 * because typed linting pays it whether or not Stateless runs.
 */
export function runTyped({ ts, core, inputs, corpusDir, mem, typecheck }) {
  const options = corpusCompilerOptions(ts, corpusDir);
  gc();
  mem.begin('program');
  let started = performance.now();
  const program = ts.createProgram({ rootNames: inputs.map((i) => i.fileName), options });
  const createProgramMs = performance.now() - started;
  started = performance.now();
  program.getTypeChecker();
  const checkerMs = performance.now() - started;
  mem.end();
  const sourceFiles = inputs.map((i) => program.getSourceFile(i.fileName));
  const missing = sourceFiles.filter((sf) => !sf).length;
  const syntaxErrors = sourceFiles.reduce((n, sf) => n + (sf ? program.getSyntacticDiagnostics(sf).length : 0), 0);
  let analyzeMs = NaN;
  let result = { findings: [], errors: [] };
  const perFile = new Array(inputs.length);
  if (core) {
    gc();
    mem.begin('core typed');
    started = performance.now();
    result = analyzeAll(core, sourceFiles, { program, config: core.defaultConfig() }, mem, perFile);
    analyzeMs = performance.now() - started;
    mem.end();
  }
  let typecheckMs;
  let semanticErrors;
  if (typecheck) {
    mem.begin('type-check');
    started = performance.now();
    semanticErrors = sourceFiles.reduce((n, sf) => n + (sf ? program.getSemanticDiagnostics(sf).length : 0), 0);
    typecheckMs = performance.now() - started;
    mem.end();
  }
  return { createProgramMs, checkerMs, analyzeMs, missing, syntaxErrors, typecheckMs, semanticErrors, last: { ...result, perFile } };
}

/** Summary of findings against what the generator planted (file-level matching). */
export function summarizeFindings(inputs, findings, manifest, corpusDir) {
  const rel = (f) => path.relative(corpusDir, f).split(path.sep).join('/');
  const byRule = {};
  const filesWithFindings = new Map();
  findings.forEach((list, i) => {
    if (!list || list.length === 0) return;
    const file = rel(inputs[i].fileName);
    const rules = new Set();
    for (const f of list) {
      byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
      rules.add(f.ruleId);
    }
    filesWithFindings.set(file, rules);
  });
  const planted = manifest.hazards;
  const found = (h) => filesWithFindings.get(h.file)?.has(h.rule) ?? false;
  const plantedFiles = new Set(planted.map((h) => h.file));
  const unexpected = [...filesWithFindings.keys()].filter((f) => !plantedFiles.has(f));
  const byKind = {};
  for (const h of planted) {
    const k = (byKind[h.kind] ??= { planted: 0, found: 0 });
    k.planted++;
    if (found(h)) k.found++;
  }
  return {
    total: Object.values(byRule).reduce((a, b) => a + b, 0),
    byRule,
    plantedFound: planted.filter(found).length,
    planted: planted.length,
    plantedNeedingTypes: planted.filter((h) => h.needsTypes).length,
    byKind,
    unexpectedFiles: unexpected.length,
    unexpectedSample: unexpected.slice(0, 5),
  };
}

export function slowestFiles(inputs, perFile, corpusDir, count = 5) {
  return perFile
    .map((ms, i) => ({ ms, file: path.relative(corpusDir, inputs[i].fileName) }))
    .filter((x) => Number.isFinite(x.ms))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((x) => ({ file: x.file, ms: Number(x.ms.toFixed(2)) }));
}

export { best };
