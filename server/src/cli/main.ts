#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findCompilerConfig, fixProject, nestedProjects, Project, ruleDefinitions, type FixOutcome, type RuleId } from '@stateless/core';
import { unifiedDiff } from './diff';
import { jsonReport, markdownReport, sarifReport } from './report';
import { writeAll } from './write';

const USAGE = `Usage:
  stateless fix [dir|file] [--rule <id>]... [--write]   apply every fix (prints a unified diff unless --write)
  stateless report [dir|file] [--format md|json|sarif]  findings by hazard and by route, and the adapters needed

Rules: ${ruleDefinitions.map((rule) => rule.id).join(', ')}`;

interface Arguments {
  command: string | undefined;
  dir: string;
  rules: RuleId[];
  write: boolean;
  format: 'md' | 'json' | 'sarif';
}

function parseArguments(argv: readonly string[]): Arguments | string {
  const result: Arguments = { command: argv[0], dir: '.', rules: [], write: false, format: 'md' };
  for (let index = 1; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--write') result.write = true;
    else if (argument === '--rule') {
      const id = argv[++index];
      if (!ruleDefinitions.some((rule) => rule.id === id)) return `unknown rule: ${id ?? '(missing)'}`;
      result.rules.push(id as RuleId);
    } else if (argument === '--format') {
      const format = argv[++index];
      if (format !== 'md' && format !== 'json' && format !== 'sarif') return `unknown format: ${format ?? '(missing)'} (md, json or sarif)`;
      result.format = format;
    } else if (argument.startsWith('-')) return `unknown option: ${argument}`;
    else result.dir = argument;
  }
  return result;
}

/** Runs the CLI; returns the exit code (0 fine — findings left are not errors —, 1 the fixes could not be written, 2 usage). */
export function main(argv: readonly string[], out: (text: string) => void = (text) => process.stdout.write(text), err: (text: string) => void = (text) => process.stderr.write(text)): number {
  const parsed = parseArguments(argv);
  if (typeof parsed === 'string' || (parsed.command !== 'fix' && parsed.command !== 'report')) {
    err(`${typeof parsed === 'string' ? `${parsed}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const target = path.resolve(parsed.dir).replace(/\\/g, '/');
  if (!fs.existsSync(target)) {
    err(`no such file or directory: ${parsed.dir}\n`);
    return 2;
  }
  // A file is analysed in its project (the config that lists it, as the editor finds it), and only its hazards are reported and fixed.
  const file = fs.statSync(target).isDirectory() ? undefined : target;
  const config = file ? findCompilerConfig(path.posix.dirname(file)) : undefined;
  const dir = file ? (config ? path.posix.dirname(config) : path.posix.dirname(file)) : target;
  const root = new Project(dir, file ? config : undefined);
  // A service with a tsconfig of its own beside the front end the root's config compiles is analysed too.
  const projects = file ? [root] : [root, ...nestedProjects(root)];
  // A folder is reported and fixed as what it serves: its files and the project files they import, not
  // the sibling apps a config above it also compiles (`stateless report backend/apps/selfhosted`).
  const only = (project: Project): ReadonlySet<string> | undefined => (file ? new Set([file]) : project.filesServedFrom(dir));
  const relative = (fileName: string): string => path.relative(dir, fileName).replace(/\\/g, '/');
  // As ESLint does for its own config: a wrong setting is said, and the rest of the file still applies.
  const said = new Set<string>();
  for (const project of projects) {
    for (const problem of project.configProblems) {
      const source = relative(project.configFile ?? `${project.rootDir}/stateless.config.json`);
      const line = `stateless: ${source}: ${problem.replace(`${project.configFile ?? ''} `, '')}; using the defaults for it\n`;
      if (!said.has(line)) err(line);
      said.add(line);
    }
  }
  const rules = parsed.rules.length > 0 ? parsed.rules : undefined;
  if (parsed.command === 'report') {
    const entries = projects.flatMap((project) => project.analyze(rules, only(project)));
    out(parsed.format === 'json' ? `${jsonReport(entries, relative)}\n` : parsed.format === 'sarif' ? `${sarifReport(entries, relative)}\n` : markdownReport(entries, relative));
    return 0;
  }
  // One project after the other, each starting from what the ones before changed (a package.json both add to).
  const outcome: FixOutcome = { applied: [], refused: [] };
  let changes: ReturnType<Project['changedFiles']> = [];
  for (const project of projects) {
    project.carryOver(changes);
    const files = only(project);
    const own = fixProject(project, { rules, files: files && [...files] });
    outcome.applied.push(...own.applied);
    outcome.refused.push(...own.refused);
    changes = project.changedFiles();
  }
  if (parsed.write) {
    try {
      writeAll(changes);
    } catch (error) {
      err(`nothing written: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  } else for (const change of changes) out(`${unifiedDiff(relative(change.fileName), change.before, change.after)}\n`);
  err(fixReport(outcome, relative, changes.length, parsed.write));
  return 0;
}

/**
 * What a reviewer reads after `stateless fix`: per fix the hazard (rule, file:line), the change,
 * the files it touches, the packages and environment variables it adds and the statements it
 * removes on purpose; every refusal with its reason; then `N fixed, M refused (reasons)`.
 */
export function fixReport(outcome: FixOutcome, relative: (fileName: string) => string, fileCount: number, written: boolean): string {
  const lines: string[] = [];
  for (const fix of outcome.applied) {
    lines.push(`fixed ${fix.ruleId} at ${relative(fix.fileName)}:${fix.line}`, `  ${fix.message}`);
    lines.push(`  files: ${fix.files.map((file) => `${relative(file.fileName)}${file.created ? ' (new)' : ''}`).join(', ')}`);
    if (fix.dependencies.length > 0) lines.push(`  dependencies: ${fix.dependencies.map((dependency) => `${dependency.name}@${dependency.version}${dependency.dev ? ' (dev)' : ''}`).join(', ')}`);
    if (fix.environment.length > 0) lines.push(`  environment: ${fix.environment.join(', ')}`);
    for (const note of fix.notes) lines.push(`  ${note}`);
  }
  for (const refused of outcome.refused) lines.push(`refused ${refused.ruleId} at ${relative(refused.fileName)}:${refused.line}`, `  ${refused.title}: ${refused.reason}`);
  lines.push(`${written ? 'wrote' : 'would write (run with --write)'} ${fileCount} file${fileCount === 1 ? '' : 's'}`);
  // The summary names each kind of reason once, with how often it came up.
  const reasons = new Map<string, number>();
  for (const refused of outcome.refused) {
    const short = firstClause(refused.reason);
    reasons.set(short, (reasons.get(short) ?? 0) + 1);
  }
  const summary = [...reasons].map(([reason, count]) => (count > 1 ? `${count}× ${reason}` : reason)).join('; ');
  lines.push(`${outcome.applied.length} fixed, ${outcome.refused.length} refused${summary ? ` (${summary})` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** A reason up to its first `: ` or `; ` outside the code it quotes (`` `log(`saved: ${file}`)` `` stays whole). */
function firstClause(reason: string): string {
  // A backtick after a space or an opening bracket opens a quote (or a template literal inside one); any other closes one.
  let depth = 0;
  for (let index = 0; index < reason.length; index++) {
    const character = reason[index];
    if (character === '`') depth = index === 0 || /[\s([{,=]/.test(reason[index - 1]) ? depth + 1 : Math.max(0, depth - 1);
    else if (depth === 0 && (character === ':' || character === ';') && reason[index + 1] === ' ') return reason.slice(0, index);
  }
  return reason;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
