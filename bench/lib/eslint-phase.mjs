// Phase d: ESLint over the corpus. A = parser only, B = parser + the plugin's recommended
// config, C = parser + a few built-in rules (context: what "a cheap rule set" costs).
// B ÷ A is the number users feel: how much slower `eslint` gets when they add Stateless.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gc } from './measure.mjs';

const FILES = ['**/*.ts', '**/*.tsx'];

// Cheap AST/scope rules that come with ESLint; `no-undef` stays off as typescript-eslint advises.
export const BUILTIN_RULES = { 'no-unused-vars': 'warn', 'no-undef': 'off', 'prefer-const': 'warn', 'no-var': 'warn', eqeqeq: 'warn', 'no-empty': 'warn' };

/** Loads the plugin build; returns { plugin, recommended } or { reason }. */
export function loadPlugin(require, repoRoot) {
  const entry = path.join(repoRoot, 'eslint-plugin', 'dist', 'index.js');
  if (!fs.existsSync(entry)) return { reason: 'plugin not built (eslint-plugin/dist/index.js missing)' };
  try {
    const mod = require(entry);
    const plugin = mod.default ?? mod;
    const recommended = plugin.configs?.recommended;
    if (!recommended) return { reason: 'plugin has no configs.recommended' };
    // Accept a flat config object, an array of them, or a legacy-style `plugins: ['stateless']`.
    const list = (Array.isArray(recommended) ? recommended : [recommended]).map((c) =>
      Array.isArray(c.plugins) ? { ...c, plugins: { stateless: plugin } } : c,
    );
    return { plugin, recommended: list };
  } catch (error) {
    return { reason: `plugin not loadable: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** What a real workspace keeps beside its sources: never linted, never parsed by the bench. */
export const WORKSPACE_IGNORES = ['**/node_modules/**', '**/.*/**', '**/dist/**', '**/build/**', '**/out/**', '**/coverage/**', '**/*.d.ts'];

function configs(tsParser, recommended, ignores) {
  const base = {
    files: FILES,
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  };
  const first = ignores ? [{ ignores }, base] : [base];
  const out = {
    A: first,
    C: [...first, { files: FILES, rules: BUILTIN_RULES }],
  };
  // Force our `files` so the plugin's rules apply to .ts/.tsx whatever its config says.
  if (recommended) out.B = [...first, ...recommended.map((c) => ({ ...c, files: FILES }))];
  return out;
}

async function lintOnce(ESLint, corpusDir, overrideConfig) {
  const eslint = new ESLint({ cwd: corpusDir, overrideConfigFile: true, overrideConfig, cache: false, errorOnUnmatchedPattern: false });
  const started = performance.now();
  const results = await eslint.lintFiles(['.']);
  const ms = performance.now() - started;
  return { ms, results };
}

/**
 * One `lintFiles(['.'])` in a fresh Node process, as `npx eslint .` runs: the plugin's project
 * index and analysis caches live as long as the process, so a second run in this one would time
 * the caches, not the work.
 */
function lintInChild(repoRoot, corpusDir, name, ignores) {
  const child = fileURLToPath(new URL('./eslint-child.mjs', import.meta.url));
  const output = execFileSync(process.execPath, ['--expose-gc', child, repoRoot, corpusDir, name, JSON.stringify(ignores ?? null)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(output.trim().split('\n').pop());
}

/** The child's side: `node eslint-child.mjs <repoRoot> <corpusDir> <A|B|C> <ignores JSON>` prints `{ ms, summary }`. */
export async function lintInThisProcess(require, repoRoot, corpusDir, name, ignores) {
  const { ESLint } = require(require.resolve('eslint', { paths: [repoRoot] }));
  const tsParser = require(require.resolve('@typescript-eslint/parser', { paths: [repoRoot] }));
  const plugin = name === 'B' ? loadPlugin(require, repoRoot) : {};
  const configSet = configs(tsParser, plugin.recommended, ignores ?? undefined);
  gc();
  const { ms, results } = await lintOnce(ESLint, corpusDir, configSet[name]);
  return { ms, summary: summarize(results) };
}

function summarize(results) {
  const byRule = {};
  let fatal = 0;
  const fatalSample = [];
  for (const r of results) {
    for (const m of r.messages) {
      if (m.fatal) {
        fatal++;
        if (fatalSample.length < 3) fatalSample.push(`${r.filePath}:${m.line}: ${m.message}`);
        continue;
      }
      const id = m.ruleId ?? '(none)';
      byRule[id] = (byRule[id] ?? 0) + 1;
    }
  }
  return { files: results.length, byRule, fatal, fatalSample };
}

/**
 * Paired measurement: every file is linted by A, B and C back to back (order rotated per file)
 * with `lintText`. Host noise on this kind of machine comes in bursts of seconds that can
 * skew a whole 30-second `lintFiles` run; here a burst hits all configurations alike, so the
 * ratio is much steadier. Also yields which files the plugin makes slowest.
 */
async function pairedRound(ESLint, corpusDir, configSet, inputs) {
  const names = Object.keys(configSet).sort();
  const instances = Object.fromEntries(names.map((n) => [n, new ESLint({ cwd: corpusDir, overrideConfigFile: true, overrideConfig: configSet[n], cache: false })]));
  const totals = Object.fromEntries(names.map((n) => [n, 0]));
  const deltas = [];
  for (let i = 0; i < inputs.length; i++) {
    const spent = {};
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      const started = performance.now();
      await instances[name].lintText(inputs[i].text, { filePath: inputs[i].fileName });
      spent[name] = performance.now() - started;
      totals[name] += spent[name];
    }
    if (spent.B !== undefined) deltas.push({ file: path.relative(corpusDir, inputs[i].fileName), ms: spent.B - spent.A });
  }
  deltas.sort((a, b) => b.ms - a.ms);
  return { totals, slowestForPlugin: deltas.slice(0, 5).map((d) => ({ file: d.file, extraMs: Number(d.ms.toFixed(2)) })) };
}

/**
 * Warm-up once per configuration, then `runs` rounds of A, B, C interleaved, so slow drift
 * (thermal, other load on the machine) hits all three alike. A fresh ESLint instance per run.
 */
export async function runEslint({ require, repoRoot, corpusDir, inputs, runs, paired, mem, recommended, log, ignores }) {
  const { ESLint } = require(require.resolve('eslint', { paths: [repoRoot] }));
  const tsParser = require(require.resolve('@typescript-eslint/parser', { paths: [repoRoot] }));
  const configSet = configs(tsParser, recommended, ignores);
  const names = Object.keys(configSet).sort();
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const summaries = {};
  const errors = {};
  for (let round = -1; round < runs; round++) {
    for (const name of names) {
      if (errors[name]) continue;
      mem.begin(`eslint ${name}`);
      try {
        const { ms, summary } = lintInChild(repoRoot, corpusDir, name, ignores);
        if (round >= 0) times[name].push(ms);
        else summaries[name] = summary;
        log?.(`  eslint ${name} ${round < 0 ? 'warm-up' : `run ${round + 1}`}: ${Math.round(ms)} ms`);
      } catch (error) {
        errors[name] = error instanceof Error ? error.message : String(error);
        log?.(`  eslint ${name} failed: ${errors[name]}`);
      } finally {
        mem.end();
      }
    }
  }
  let pairedResult;
  if (paired && Object.keys(errors).length === 0) {
    gc();
    mem.begin('eslint paired');
    const started = performance.now();
    pairedResult = await pairedRound(ESLint, corpusDir, configSet, inputs);
    mem.end();
    log?.(`  eslint paired round (${names.join(', ')} per file): ${Math.round(performance.now() - started)} ms`);
  }
  return { times, summaries, errors, paired: pairedResult };
}
