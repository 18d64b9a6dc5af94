/**
 * Every rule's docs page is checked against the rule itself: its title and description match core,
 * its sections come in the documented order, every option is documented (and nothing else), and
 * every example is linted with the built ESLint plugin — ❌ examples must be reported, ✅ examples
 * must not. Run `npx tsc -b` first: the test reads core and the plugin from their `dist` folders.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { documentedOptions, exampleFileName, parseDocsPage, type CodeBlock, type DocsPage } from './docs-page';

const docsDir = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const INCORRECT = '❌ Incorrect';
const CORRECT = '✅ Correct';
const SECTIONS = ['Examples', 'How to fix', 'Options', 'When Not To Use It', 'Further Reading'];
const EXAMPLE_LANGS = new Set(['ts', 'tsx']);
const PLUGIN_NAME = 'stateless';
/**
 * Examples are linted as files under a folder that does not exist, so no `stateless.config.json`
 * of this repository (or any other) changes what they report.
 */
const EXAMPLES_ROOT = path.join(os.tmpdir(), 'stateless-rules-docs-examples');

interface RuleDefinitionLike {
  id: string;
  description: string;
  configs: readonly string[];
  optionsSchema: { properties: Record<string, unknown> };
  defaultOptions: Record<string, unknown>;
  hasSuggestions: boolean;
}

interface CoreLike {
  ruleDefinitions: readonly RuleDefinitionLike[];
  resolveConfig(inputs: unknown[], problems?: string[]): unknown;
}

interface PluginLike {
  rules: Record<string, unknown>;
  configs?: Record<string, unknown>;
}

function loadBuilt<T>(relativePath: string, what: string): T {
  const file = path.join(docsDir, relativePath);
  let loaded: unknown;
  try {
    loaded = require(file);
  } catch (error) {
    throw new Error(`Cannot load ${what} from ${file}; run \`npx tsc -b\` first. (${(error as Error).message})`);
  }
  const module = loaded as { default?: unknown };
  return (module.default ?? module) as T;
}

let core: CoreLike | undefined;
let plugin: PluginLike | undefined;
const getCore = (): CoreLike => (core ??= loadBuilt<CoreLike>('../core/dist/index.js', 'the core package'));
const getPlugin = (): PluginLike => (plugin ??= loadBuilt<PluginLike>('../eslint-plugin/dist/index.js', 'the ESLint plugin'));

function ruleDefinition(ruleId: string): RuleDefinitionLike {
  const definition = getCore().ruleDefinitions.find((candidate) => candidate.id === ruleId);
  if (!definition) throw new Error(`rules-docs/${ruleId}.md documents a rule that core does not define`);
  return definition;
}

interface Page {
  ruleId: string;
  fileName: string;
  page: DocsPage;
}

const pages: Page[] = readdirSync(docsDir)
  .filter((name) => name.endsWith('.md') && name !== 'README.md')
  .sort()
  .map((fileName) => ({
    ruleId: fileName.slice(0, -'.md'.length),
    fileName,
    page: parseDocsPage(readFileSync(path.join(docsDir, fileName), 'utf8')),
  }));

interface Example {
  name: string;
  ruleId: string;
  kind: 'incorrect' | 'correct';
  block: CodeBlock;
}

const examples: Example[] = pages.flatMap(({ ruleId, fileName, page }) => {
  const under = (subsection: string, kind: Example['kind']): Example[] =>
    page.codeBlocks
      .filter((block) => block.section === 'Examples' && block.subsection === subsection && EXAMPLE_LANGS.has(block.lang))
      .map((block, index) => ({
        name: `${fileName} ${subsection.slice(0, 1)} #${index + 1} (line ${block.line}, ${exampleFileName(block)})`,
        ruleId,
        kind,
        block,
      }));
  return [...under(INCORRECT, 'incorrect'), ...under(CORRECT, 'correct')];
});

const linter = new Linter({ cwd: EXAMPLES_ROOT });

function lintExample(ruleId: string, block: CodeBlock): Linter.LintMessage[] {
  const parser = require('@typescript-eslint/parser') as Linter.Parser;
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts', '**/*.tsx'],
      languageOptions: {
        parser,
        parserOptions: { ecmaFeatures: { jsx: block.lang === 'tsx' } },
      },
      plugins: { [PLUGIN_NAME]: getPlugin() as never },
      rules: { [`${PLUGIN_NAME}/${ruleId}`]: 'error' },
    },
  ];
  return linter.verify(block.code, config, path.join(EXAMPLES_ROOT, exampleFileName(block)));
}

function applyFix(code: string, fix: Linter.LintSuggestion['fix']): string {
  const [start, end] = fix.range;
  return code.slice(0, start) + fix.text + code.slice(end);
}

/** Parse errors, unknown rules and crashes: anything that is not a finding of a rule. */
const problemsOf = (messages: Linter.LintMessage[]): Linter.LintMessage[] =>
  messages.filter((message) => message.fatal === true || message.ruleId === null);

const describeMessages = (messages: Linter.LintMessage[]): string =>
  messages.length === 0
    ? '(no messages)'
    : messages.map((message) => `  ${message.line}:${message.column} ${message.ruleId ?? '(no rule)'}: ${message.message}`).join('\n');

/** The lines of a page from a heading to the next heading of the same or a higher level. */
function sectionText(page: DocsPage, level: number, text: string): string {
  const index = page.headings.findIndex((heading) => heading.level === level && heading.text === text);
  if (index === -1) return '';
  const start = page.headings[index]!.line;
  const next = page.headings.slice(index + 1).find((heading) => heading.level <= level);
  return page.lines.slice(start, next ? next.line - 1 : undefined).join('\n');
}

describe('every rule has a docs page', () => {
  it('core rules and docs pages match one to one', () => {
    const ruleIds = getCore().ruleDefinitions.map((definition) => definition.id).sort();
    expect(pages.map((page) => page.ruleId)).toEqual(ruleIds);
  });
});

describe.each(pages)('$fileName structure', ({ ruleId, page }) => {
  it('starts with the rule id, the description from core and the config/suggestion notes', () => {
    const definition = ruleDefinition(ruleId);
    expect(page.lines[0]).toBe(`# ${ruleId}`);
    expect(page.lines[1]).toBe('');
    expect(page.lines[2]).toBe(`> ${definition.description}`);
    const notes = page.lines.slice(3).find((line) => line.trim() !== '') ?? '';
    const configsNamed = [...notes.matchAll(/`(recommended|strict|all)`/g)].map((match) => match[1]).sort();
    expect(notes.startsWith('💼'), `notes line: ${notes}`).toBe(true);
    expect(configsNamed).toEqual([...definition.configs].sort());
    expect(notes.includes('💡'), `💡 on the notes line must match hasSuggestions (${definition.hasSuggestions})`).toBe(
      definition.hasSuggestions,
    );
  });

  it('explains the hazard in a paragraph before the examples', () => {
    const examplesLine = page.headings.find((heading) => heading.level === 2)?.line ?? page.lines.length;
    const intro = page.lines.slice(4, examplesLine - 1).filter((line) => line.trim() !== '' && !line.startsWith('💼'));
    expect(intro.join(' ').length).toBeGreaterThan(200);
  });

  it('has the sections in order', () => {
    expect(page.headings.filter((heading) => heading.level === 1).map((heading) => heading.text)).toEqual([ruleId]);
    expect(page.headings.filter((heading) => heading.level === 2).map((heading) => heading.text)).toEqual(SECTIONS);
  });

  it('has ❌ Incorrect and ✅ Correct examples, all as ts blocks', () => {
    const exampleBlocks = page.codeBlocks.filter((block) => block.section === 'Examples');
    const subsections = page.headings.filter((heading) => heading.level === 3 && sectionOf(page, heading.line) === 'Examples');
    expect(subsections.map((heading) => heading.text)).toEqual([INCORRECT, CORRECT]);
    for (const block of exampleBlocks) {
      expect(EXAMPLE_LANGS.has(block.lang), `example at line ${block.line} is \`${block.lang}\`, not ts`).toBe(true);
      expect([INCORRECT, CORRECT], `example at line ${block.line} is outside ❌/✅`).toContain(block.subsection);
    }
    expect(exampleBlocks.filter((block) => block.subsection === INCORRECT).length).toBeGreaterThan(0);
    expect(exampleBlocks.filter((block) => block.subsection === CORRECT).length).toBeGreaterThan(0);
  });

  it('documents every option once, with its default, and no other', () => {
    const definition = ruleDefinition(ruleId);
    const documented = documentedOptions(page);
    const schemaOptions = Object.keys(definition.optionsSchema.properties);
    expect(documented.filter((name, index) => documented.indexOf(name) !== index), 'documented twice').toEqual([]);
    expect([...documented].sort()).toEqual([...schemaOptions].sort());
    for (const option of schemaOptions) {
      const text = sectionText(page, 3, `\`${option}\``);
      expect(text, `### \`${option}\` states its default`).toContain(`Default: \`${JSON.stringify(definition.defaultOptions[option])}\``);
      expect(text, `### \`${option}\` shows eslint.config.mjs`).toContain('eslint.config.mjs');
      expect(text, `### \`${option}\` shows stateless.config.json`).toMatch(/```json/);
    }
    if (schemaOptions.length === 0) expect(sectionText(page, 2, 'Options')).toMatch(/no options/i);
  });

  it('shows only valid stateless.config.json snippets under Options', () => {
    const jsonBlocks = page.codeBlocks.filter((block) => block.section === 'Options' && block.lang === 'json');
    for (const block of jsonBlocks) {
      const problems: string[] = [];
      getCore().resolveConfig([JSON.parse(block.code)], problems);
      expect(problems, `json at line ${block.line}`).toEqual([]);
      const ruleKeys = Object.keys((JSON.parse(block.code) as { rules?: object }).rules ?? {});
      expect(ruleKeys.every((key) => key === ruleId), `json at line ${block.line} configures another rule`).toBe(true);
    }
  });

  it('links further reading', () => {
    expect(sectionText(page, 2, 'Further Reading')).toMatch(/\]\(https:\/\/[^)]+\)/);
  });

  it('offers a suggestion on some ❌ example exactly when the rule has suggestions', () => {
    const definition = ruleDefinition(ruleId);
    const suggestions = examples
      .filter((example) => example.ruleId === ruleId && example.kind === 'incorrect')
      .flatMap((example) => lintExample(ruleId, example.block))
      .flatMap((message) => message.suggestions ?? []);
    expect(
      suggestions.length > 0,
      definition.hasSuggestions
        ? `${ruleId} has suggestions, but no ❌ example on its page got one (How to fix promises one)`
        : `${ruleId} has no suggestions, but a ❌ example got one: ${suggestions.map((suggestion) => suggestion.desc).join('; ')}`,
    ).toBe(definition.hasSuggestions);
  });
});

function sectionOf(page: DocsPage, line: number): string | undefined {
  let section: string | undefined;
  for (const heading of page.headings) {
    if (heading.line > line) break;
    if (heading.level <= 2) section = heading.level === 2 ? heading.text : undefined;
  }
  return section;
}

describe('examples', () => {
  it.each(examples.filter((example) => example.kind === 'incorrect').map((example) => [example.name, example] as const))(
    '%s is reported',
    (_name, { ruleId, block }) => {
      const messages = lintExample(ruleId, block);
      expect(problemsOf(messages), describeMessages(messages)).toEqual([]);
      const findings = messages.filter((message) => message.ruleId === `${PLUGIN_NAME}/${ruleId}`);
      expect(findings.length, `expected a ${ruleId} report, got:\n${describeMessages(messages)}`).toBeGreaterThan(0);
      // What "How to fix" promises: a suggestion gives code that parses and removes its finding.
      for (const finding of findings) {
        for (const suggestion of finding.suggestions ?? []) {
          const fixed = applyFix(block.code, suggestion.fix);
          const after = lintExample(ruleId, { ...block, code: fixed });
          expect(problemsOf(after), `after "${suggestion.desc}":\n${fixed}\n${describeMessages(after)}`).toEqual([]);
          // Lines move when a fix adds imports, so count: one finding of this kind must be gone.
          const sameKind = (message: Linter.LintMessage): boolean => message.ruleId === finding.ruleId && message.messageId === finding.messageId;
          expect(after.filter(sameKind).length, `"${suggestion.desc}" did not remove its finding:\n${fixed}`).toBeLessThan(
            findings.filter(sameKind).length,
          );
        }
      }
    },
  );

  it.each(examples.filter((example) => example.kind === 'correct').map((example) => [example.name, example] as const))(
    '%s is not reported',
    (_name, { ruleId, block }) => {
      const messages = lintExample(ruleId, block);
      expect(problemsOf(messages), describeMessages(messages)).toEqual([]);
      const findings = messages.filter((message) => message.ruleId === `${PLUGIN_NAME}/${ruleId}`);
      expect(findings, `expected no ${ruleId} report, got:\n${describeMessages(findings)}`).toEqual([]);
    },
  );
});
