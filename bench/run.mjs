#!/usr/bin/env node
// Stateless benchmark: what does the analysis cost relative to the parsing every linter
// already does? Run with `npm run bench` (builds first) or `node --expose-gc bench/run.mjs`.
//
//   --files N        corpus size (default 3000)       --seed S        corpus seed (default 1)
//   --runs N         parse/core timing runs (5)        --eslint-runs N ESLint runs per config (3)
//   --skip-eslint    skip phase d                      --skip-typed    skip phase c
//   --typecheck      also time a full type-check of the Program (context for phase c)
//   --no-paired      skip the per-file paired ESLint round (noise-resistant B/A ratio)
//   --workspace DIR  measure a real repository's .ts/.tsx files instead of the generated corpus
//                    (no typed phase: its dependencies are not installed; `npm run bench:real -- DIR`)
//
// Ratios are the result; absolute times depend on the machine and are printed as noise.
// Always exits 0 when the measurements ran, also when a target is missed (printed MISSED).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CORPUS_DIR, ensureCorpus, parseCorpusArgs } from './corpus.mjs';
import { best, createMemorySampler, hasGc, ratioLine, round, section, timeLine } from './lib/measure.mjs';
import { loadCore, runParseAndUntyped, runTyped, slowestFiles, summarizeFindings } from './lib/core-phase.mjs';
import { BUILTIN_RULES, WORKSPACE_IGNORES, loadPlugin, runEslint } from './lib/eslint-phase.mjs';
import { runIndexBuild } from './lib/index-phase.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const TARGETS = { coreUntyped: 0.3, eslintPlugin: 1.1, indexBuild: 0.5 };

function parseArgs(argv) {
  const number = (flag, fallback) => {
    const i = argv.indexOf(flag);
    return i < 0 ? fallback : Math.max(1, Number.parseInt(argv[i + 1], 10) || fallback);
  };
  return {
    ...parseCorpusArgs(argv),
    runs: number('--runs', 5),
    eslintRuns: number('--eslint-runs', 3),
    skipEslint: argv.includes('--skip-eslint'),
    skipTyped: argv.includes('--skip-typed'),
    typecheck: argv.includes('--typecheck'),
    paired: !argv.includes('--no-paired'),
    workspace: argv.includes('--workspace') ? path.resolve(argv[argv.indexOf('--workspace') + 1] ?? '.') : undefined,
  };
}

/**
 * A real repository as the bench's corpus: its .ts/.tsx sources, nothing planted. Skips what ESLint
 * is told to ignore (WORKSPACE_IGNORES), so the parse and the lint see the same files.
 */
function workspaceCorpus(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || ['node_modules', 'dist', 'build', 'out', 'coverage'].includes(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path.relative(root, full));
    }
  };
  walk(root);
  files.sort();
  const lines = files.map((file) => fs.readFileSync(path.join(root, file), 'utf8').split('\n').length);
  const bytes = files.reduce((sum, file) => sum + fs.statSync(path.join(root, file)).size, 0);
  const total = lines.reduce((a, b) => a + b, 0);
  return {
    files,
    key: { workspace: path.basename(root) },
    stats: { files: files.length, lines: total, avgLines: Math.round(total / Math.max(1, files.length)), minLines: Math.min(...lines), maxLines: Math.max(...lines), bytes },
    hazards: [],
  };
}

const progress = (message) => process.stderr.write(`${message}\n`);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const ts = require('typescript');
  const mem = createMemorySampler();
  const root = args.workspace ?? CORPUS_DIR;
  const manifest = args.workspace ? workspaceCorpus(args.workspace) : ensureCorpus({ files: args.files, seed: args.seed, force: args.force, log: progress }).manifest;
  const inputs = manifest.files.map((f) => {
    const fileName = path.join(root, f);
    return { fileName, text: fs.readFileSync(fileName, 'utf8') };
  });
  const results = {
    date: new Date().toISOString(),
    machine: { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, gcExposed: hasGc },
    corpus: { ...manifest.key, ...manifest.stats, plantedHazards: manifest.hazards.length },
    targets: TARGETS,
    skipped: {},
  };
  if (!hasGc) progress('warning: run with `node --expose-gc` for less noisy numbers (npm run bench does)');

  // a + b: parse, core untyped.
  const loaded = loadCore(require, REPO_ROOT);
  if (!loaded.core) {
    progress(loaded.reason);
    results.skipped.core = loaded.reason;
  }
  progress(`parse${loaded.core ? ' + core untyped' : ''}: 1 warm-up + ${args.runs} runs over ${inputs.length} files…`);
  const untyped = runParseAndUntyped({ ts, core: loaded.core, inputs, runs: args.runs, mem });
  const parseBest = best(untyped.parseMs);
  results.parse = { runsMs: untyped.parseMs.map((x) => round(x, 1)), bestMs: round(parseBest, 1) };
  if (loaded.core) {
    const analyzeBest = best(untyped.analyzeMs);
    results.coreUntyped = {
      runsMs: untyped.analyzeMs.map((x) => round(x, 1)), bestMs: round(analyzeBest, 1), ratioToParse: round(analyzeBest / parseBest, 3),
      pairedParseMs: round(untyped.paired.parseMs, 1), pairedAnalyzeMs: round(untyped.paired.analyzeMs, 1),
      pairedRatioToParse: round(untyped.paired.analyzeMs / untyped.paired.parseMs, 3),
      errors: untyped.last.errors.length, errorSample: untyped.last.errors.slice(0, 3),
      findings: summarizeFindings(inputs, untyped.last.findings, manifest, root),
      slowestFiles: slowestFiles(inputs, untyped.last.perFile, root),
    };
  }

  // e (after b, so its files are warm in the OS cache like the parse inputs): the project index.
  if (loaded.core) {
    progress(`project index: 1 warm-up + ${args.runs} builds…`);
    const built = runIndexBuild({ core: loaded.core, corpusDir: root, inputs, runs: args.runs, mem });
    if (built.reason) results.skipped.projectIndex = built.reason;
    else {
      results.projectIndex = {
        runsMs: built.times.map((x) => round(x, 1)), bestMs: round(best(built.times), 1), ratioToParse: round(best(built.times) / parseBest, 3),
        files: built.files, filesImportedByAHandlerFile: built.crossFile,
      };
    }
  }

  // c: typed.
  if (args.skipTyped) results.skipped.typed = '--skip-typed';
  else if (args.workspace) results.skipped.typed = '--workspace: the repository\'s dependencies are not installed';
  else if (!loaded.core) results.skipped.typed = results.skipped.core;
  else {
    progress('program + core typed: 1 run…');
    const typed = runTyped({ ts, core: loaded.core, inputs, corpusDir: CORPUS_DIR, mem, typecheck: args.typecheck });
    const programMs = typed.createProgramMs + typed.checkerMs;
    results.typed = {
      createProgramMs: round(typed.createProgramMs, 1), checkerMs: round(typed.checkerMs, 1), analyzeMs: round(typed.analyzeMs, 1),
      ratioToParse: round(typed.analyzeMs / parseBest, 3), ratioToProgram: round(typed.analyzeMs / programMs, 3),
      typecheckMs: typed.typecheckMs === undefined ? undefined : round(typed.typecheckMs, 1), semanticErrors: typed.semanticErrors,
      syntaxErrors: typed.syntaxErrors, missingSourceFiles: typed.missing,
      errors: typed.last.errors.length, errorSample: typed.last.errors.slice(0, 3),
      findings: summarizeFindings(inputs, typed.last.findings, manifest, CORPUS_DIR),
      slowestFiles: slowestFiles(inputs, typed.last.perFile, CORPUS_DIR),
    };
  }

  // d: ESLint.
  if (args.skipEslint) results.skipped.eslint = '--skip-eslint';
  else {
    const plugin = loadPlugin(require, REPO_ROOT);
    if (!plugin.recommended) {
      progress(plugin.reason);
      results.skipped.eslintPlugin = plugin.reason;
    }
    progress(`eslint: 1 warm-up + ${args.eslintRuns} runs per config (${plugin.recommended ? 'A, B, C' : 'A, C'})…`);
    const eslint = await runEslint({
      require, repoRoot: REPO_ROOT, corpusDir: root, inputs, runs: args.eslintRuns, paired: args.paired, mem, recommended: plugin.recommended, log: progress,
      ignores: args.workspace ? WORKSPACE_IGNORES : undefined,
    });
    const pairedTotals = eslint.paired?.totals;
    const bestOf = (name) => best(eslint.times[name] ?? []);
    results.eslint = {
      runsMs: Object.fromEntries(Object.entries(eslint.times).map(([k, v]) => [k, v.map((x) => round(x, 1))])),
      bestMs: Object.fromEntries(Object.keys(eslint.times).map((k) => [k, round(bestOf(k), 1)])),
      ratioPluginToParser: round(bestOf('B') / bestOf('A'), 3),
      ratioBuiltinToParser: round(bestOf('C') / bestOf('A'), 3),
      pairedTotalsMs: pairedTotals && Object.fromEntries(Object.entries(pairedTotals).map(([k, v]) => [k, round(v, 1)])),
      pairedRatioPluginToParser: pairedTotals?.B ? round(pairedTotals.B / pairedTotals.A, 3) : undefined,
      pairedRatioBuiltinToParser: pairedTotals ? round(pairedTotals.C / pairedTotals.A, 3) : undefined,
      slowestFilesForPlugin: eslint.paired?.slowestForPlugin,
      builtinRules: BUILTIN_RULES, summaries: eslint.summaries, errors: eslint.errors,
    };
  }
  results.memory = mem.results();
  fs.mkdirSync(CORPUS_DIR, { recursive: true });
  fs.writeFileSync(path.join(CORPUS_DIR, args.workspace ? `results-${path.basename(args.workspace)}.json` : 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(report(results, args));
}

function verdictCount(results) {
  const missed = [];
  if (results.coreUntyped && results.coreUntyped.ratioToParse > TARGETS.coreUntyped) missed.push('core/parse (untyped)');
  if (Number.isFinite(results.eslint?.ratioPluginToParser) && results.eslint.ratioPluginToParser > TARGETS.eslintPlugin) missed.push('eslint B/A');
  if (results.projectIndex && results.projectIndex.ratioToParse > TARGETS.indexBuild) missed.push('index build/parse');
  return missed;
}

function findingsLine(label, f) {
  const kinds = Object.entries(f.byKind).map(([k, v]) => `${k} ${v.found}/${v.planted}`).join(', ');
  return [`  ${label}: ${f.total} findings (${Object.entries(f.byRule).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`,
    `    planted hazards found ${f.plantedFound}/${f.planted} (${f.plantedNeedingTypes} need types): ${kinds}`,
    `    files with findings but nothing planted: ${f.unexpectedFiles}${f.unexpectedSample.length ? ' e.g. ' + f.unexpectedSample.join(', ') : ''}`];
}

function report(r, args) {
  const c = r.corpus;
  const out = [`Stateless bench — ${c.files} files, ${c.lines.toLocaleString('en')} lines (avg ${c.avgLines}), ${(c.bytes / 1048576).toFixed(1)} MiB, ${c.workspace ? `workspace ${c.workspace}` : `seed ${c.seed}`}; ${r.machine.node}, ${r.machine.cpus} cpus${r.machine.gcExposed ? '' : ', no --expose-gc'}`];
  out.push(section('Ratios (the result)'));
  out.push(r.coreUntyped ? ratioLine('core/parse (untyped)', r.coreUntyped.ratioToParse, TARGETS.coreUntyped) : `  core/parse (untyped)                   skipped: ${r.skipped.core}`);
  if (r.coreUntyped) out.push(ratioLine('core/parse (untyped) paired per file', r.coreUntyped.pairedRatioToParse, TARGETS.coreUntyped));
  out.push(r.projectIndex ? ratioLine('index build ÷ parse', r.projectIndex.ratioToParse, TARGETS.indexBuild) : `  index build ÷ parse                    skipped: ${r.skipped.projectIndex ?? r.skipped.core}`);
  if (r.eslint) {
    out.push(r.eslint.bestMs.B !== undefined ? ratioLine('eslint B/A (+ stateless recommended)', r.eslint.ratioPluginToParser, TARGETS.eslintPlugin) : `  eslint B/A                             skipped: ${r.skipped.eslintPlugin ?? r.eslint.errors.B}`);
    if (r.eslint.pairedRatioPluginToParser !== undefined) out.push(ratioLine('eslint B/A paired per file', r.eslint.pairedRatioPluginToParser, TARGETS.eslintPlugin));
    out.push(ratioLine(`eslint C/A (+ ${Object.values(BUILTIN_RULES).filter((v) => v !== 'off').length} built-in rules)`, r.eslint.ratioBuiltinToParser));
    if (r.eslint.pairedRatioBuiltinToParser !== undefined) out.push(ratioLine('eslint C/A paired per file', r.eslint.pairedRatioBuiltinToParser));
    // Any rule at all makes ESLint traverse the tree; B/C separates the plugin's own cost from that.
    if (r.eslint.pairedRatioPluginToParser !== undefined && r.eslint.pairedRatioBuiltinToParser !== undefined) {
      out.push(ratioLine('eslint B/C paired (plugin vs built-ins)', r.eslint.pairedRatioPluginToParser / r.eslint.pairedRatioBuiltinToParser));
    }
  } else out.push(`  eslint                                 skipped: ${r.skipped.eslint}`);
  if (r.typed) {
    out.push(ratioLine('core typed / parse', r.typed.ratioToParse));
    out.push(ratioLine('core typed / (program + checker)', r.typed.ratioToProgram));
  } else out.push(`  core typed                             skipped: ${r.skipped.typed}`);
  const missed = verdictCount(r);
  out.push(missed.length ? `  MISSED: ${missed.join(', ')}` : r.coreUntyped && r.eslint?.bestMs.B !== undefined ? '  all targets met' : '  (targets not fully measured)');

  out.push(section(`Absolute times (noise: machine- and load-dependent; best of ${args.runs} / ${args.eslintRuns} after a warm-up)`));
  out.push(timeLine('parse (ts.createSourceFile)', r.parse.runsMs));
  if (r.coreUntyped) {
    out.push(timeLine('core untyped', r.coreUntyped.runsMs, `${((r.coreUntyped.bestMs * 1000) / c.files).toFixed(0)} µs/file`));
    out.push(timeLine('parse, paired round', [r.coreUntyped.pairedParseMs]), timeLine('core untyped, paired round', [r.coreUntyped.pairedAnalyzeMs]));
  }
  if (r.projectIndex) out.push(timeLine('project index build (read + scan + resolve)', r.projectIndex.runsMs, `${r.projectIndex.files} files, ${r.projectIndex.filesImportedByAHandlerFile} imported by a handler file`));
  if (r.typed) {
    out.push(timeLine('ts.createProgram', [r.typed.createProgramMs]), timeLine('getTypeChecker (binds all files)', [r.typed.checkerMs]), timeLine('core typed (single run)', [r.typed.analyzeMs]));
    if (r.typed.typecheckMs !== undefined) out.push(timeLine('full type-check (context)', [r.typed.typecheckMs], `${r.typed.semanticErrors} diagnostics`));
  }
  const eslintLabel = { A: 'parser only', B: '+ stateless', C: '+ built-ins' };
  if (r.eslint) for (const [k, v] of Object.entries(r.eslint.runsMs)) out.push(timeLine(`eslint ${k} ${eslintLabel[k]}`, v));
  if (r.eslint?.pairedTotalsMs) for (const [k, v] of Object.entries(r.eslint.pairedTotalsMs)) out.push(timeLine(`eslint ${k} paired (sum of lintText)`, [v]));

  out.push(section('Peak memory per phase (MiB; RSS is process-wide and rarely shrinks)'));
  for (const [phase, m] of Object.entries(r.memory)) out.push(`  ${phase.padEnd(36)} rss ${String(m.rssMiB).padStart(7)}   heapUsed ${String(m.heapUsedMiB).padStart(7)}`);

  out.push(section('Findings (sanity, not speed)'));
  if (r.coreUntyped) out.push(...findingsLine('core untyped', r.coreUntyped.findings));
  if (r.typed) out.push(...findingsLine('core typed', r.typed.findings));
  if (r.eslint?.summaries.B) {
    const stateless = Object.entries(r.eslint.summaries.B.byRule).filter(([k]) => k.startsWith('stateless/'));
    out.push(`  eslint B: ${stateless.reduce((n, [, v]) => n + v, 0)} stateless reports (${stateless.map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}); core untyped found ${r.coreUntyped?.findings.total ?? 'n/a'}`);
  }
  for (const [k, s] of Object.entries(r.eslint?.summaries ?? {})) if (s.fatal) out.push(`  eslint ${k}: ${s.fatal} parse errors, e.g. ${s.fatalSample[0]}`);
  for (const [label, part] of [['core untyped', r.coreUntyped], ['core typed', r.typed]]) {
    if (part?.errors) out.push(`  ${label}: analyzeSourceFile threw on ${part.errors} files, e.g. ${part.errorSample[0]?.file}: ${part.errorSample[0]?.message}`);
  }
  if (r.coreUntyped) out.push(`  slowest files, core untyped: ${r.coreUntyped.slowestFiles.map((f) => `${f.file} ${f.ms} ms`).join(', ')}`);
  if (r.eslint?.slowestFilesForPlugin?.length) out.push(`  most plugin overhead, B − A per file (GC pauses included): ${r.eslint.slowestFilesForPlugin.map((f) => `${f.file} +${f.extraMs} ms`).join(', ')}`);
  out.push('', `results: ${path.relative(process.cwd(), path.join(CORPUS_DIR, args.workspace ? `results-${path.basename(args.workspace)}.json` : 'results.json'))}`);
  return out.join('\n');
}

main().catch((error) => {
  // A crash of the harness itself is a real failure; a missed target is not.
  console.error(error);
  process.exitCode = 1;
});
