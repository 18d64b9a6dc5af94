#!/usr/bin/env node
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixProject, Project, ruleDefinitions, type RuleId } from '@stateless/core';
import { unifiedDiff } from './diff';
import { jsonReport, markdownReport, sarifReport } from './report';

const USAGE = `Usage:
  stateless fix [dir] [--rule <id>]... [--write]   apply every fix (prints a unified diff unless --write)
  stateless report [dir] [--format md|json|sarif]  findings by hazard and by route, and the adapters needed

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

/** Runs the CLI; returns the exit code (0 fine, 1 findings left in report/fix dry runs are not errors, 2 usage). */
export function main(argv: readonly string[], out: (text: string) => void = (text) => process.stdout.write(text), err: (text: string) => void = (text) => process.stderr.write(text)): number {
  const parsed = parseArguments(argv);
  if (typeof parsed === 'string' || (parsed.command !== 'fix' && parsed.command !== 'report')) {
    err(`${typeof parsed === 'string' ? `${parsed}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const dir = path.resolve(parsed.dir).replace(/\\/g, '/');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    err(`not a directory: ${parsed.dir}\n`);
    return 2;
  }
  const project = new Project(dir);
  const relative = (fileName: string): string => path.relative(dir, fileName).replace(/\\/g, '/');
  // As ESLint does for its own config: a wrong setting is said, and the rest of the file still applies.
  for (const problem of project.configProblems) {
    const source = relative(project.configFile ?? `${dir}/stateless.config.json`);
    err(`stateless: ${source}: ${problem.replace(`${project.configFile ?? ''} `, '')}; using the defaults for it\n`);
  }
  if (parsed.command === 'report') {
    const entries = project.analyze(parsed.rules.length > 0 ? parsed.rules : undefined);
    out(parsed.format === 'json' ? `${jsonReport(entries, relative)}\n` : parsed.format === 'sarif' ? `${sarifReport(entries, relative)}\n` : markdownReport(entries, relative));
    return 0;
  }
  const outcome = fixProject(project, parsed.rules.length > 0 ? parsed.rules : undefined);
  const changes = project.changedFiles();
  if (parsed.write) {
    for (const change of changes) {
      fs.mkdirSync(path.dirname(change.fileName), { recursive: true });
      fs.writeFileSync(change.fileName, change.after);
    }
  } else for (const change of changes) out(`${unifiedDiff(relative(change.fileName), change.before, change.after)}\n`);
  for (const applied of outcome.applied) err(`fixed  ${relative(applied.fileName)}: ${applied.message}\n`);
  for (const refused of outcome.refused) err(`skipped ${relative(refused.fileName)}: ${refused.title}: ${refused.reason}\n`);
  err(`${outcome.applied.length} fix${outcome.applied.length === 1 ? '' : 'es'} ${parsed.write ? 'written' : 'planned'} in ${changes.length} file${changes.length === 1 ? '' : 's'}${outcome.refused.length > 0 ? `, ${outcome.refused.length} skipped` : ''}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
