import type { JSONSchema, TSESLint } from '@typescript-eslint/utils';
import { ruleDefinitions, type FixPlan, type RuleDefinition, type RuleId, type RuleOptionsMap } from '@stateless/core';
import { findingsForRule, normalizeFileName, type StatelessRuleContext } from './analysis';
import { createRule } from './createRule';

export type StatelessRuleOptions<K extends RuleId> = [Partial<RuleOptionsMap[K]>];

/**
 * The ESLint rule for a core rule: metadata from its definition, and a `create` that reports the
 * findings core computed. Every rule file is one call of this, so no rule holds analysis logic.
 */
export function ruleFromDefinition<K extends RuleId>(ruleId: K) {
  const definition = ruleDefinitions.find((candidate): candidate is RuleDefinition<K> => candidate.id === ruleId);
  if (!definition) throw new Error(`@stateless/core has no rule "${ruleId}"`);

  return createRule<StatelessRuleOptions<K>, string>({
    name: ruleId,
    meta: {
      type: 'problem',
      docs: { description: definition.description },
      messages: definition.messages,
      // Core types each property loosely (`Record<string, unknown>`); the values are draft-4 schema.
      schema: [definition.optionsSchema as unknown as JSONSchema.JSONSchema4],
      hasSuggestions: definition.hasSuggestions || undefined,
      // No `meta.defaultOptions`: ESLint would merge it into `context.options`, and then every
      // default would override the project's stateless.config.json. The top-level
      // `defaultOptions` below is for documentation and typescript-eslint only.
    },
    defaultOptions: [definition.defaultOptions],
    create(context) {
      return {
        Program() {
          reportFindings(context, definition);
        },
      };
    },
  });
}

function reportFindings(context: StatelessRuleContext, definition: RuleDefinition): void {
  let result: ReturnType<typeof findingsForRule>;
  try {
    result = findingsForRule(context, definition.id);
  } catch {
    // TypeScript's parser can overflow the stack on pathological input (thousands of nested
    // parentheses) under parsers that give us no TypeScript AST: that file gets no findings.
    return;
  }
  if (!result) return;
  const { sourceCode } = context;
  const textLength = sourceCode.text.length;
  for (const finding of result.findings) {
    if (!Object.hasOwn(definition.messages, finding.messageId)) continue; // a core bug must not crash the lint run
    const start = Math.min(Math.max(finding.start, 0), textLength);
    const end = Math.min(Math.max(finding.end, start), textLength);
    const suggest = definition.hasSuggestions
      ? finding.fixes
          .filter((plan) => isSingleFileSuggestion(plan, result.sourceFile.fileName, definition, textLength))
          .map((plan) => ({
            messageId: plan.messageId,
            data: plan.data,
            fix: (fixer: TSESLint.RuleFixer) =>
              plan.edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.newText)),
          }))
      : [];
    context.report({
      loc: { start: sourceCode.getLocFromIndex(start), end: sourceCode.getLocFromIndex(end) },
      messageId: finding.messageId,
      data: finding.data,
      suggest,
    });
  }
}

/**
 * ESLint can apply a plan only if it edits nothing but the linted file: plans that create adapter
 * modules or edit other files are the language server's (a WorkspaceEdit). `plan.dependencies` do
 * not disqualify a plan: the edit is complete in this file, installing a package is the user's
 * step in a terminal (the rule's docs page names the packages), and the express-session fix,
 * which imports connect-redis and redis, must stay available in ESLint (docs, rule tests).
 */
function isSingleFileSuggestion(plan: FixPlan, fileName: string, definition: RuleDefinition, textLength: number): boolean {
  if (plan.createFiles.length > 0 || plan.edits.length === 0) return false;
  if (!Object.hasOwn(definition.messages, plan.messageId)) return false;
  const sameFile = normalizeFileName(fileName);
  const edits = [...plan.edits].sort((a, b) => a.start - b.start);
  return edits.every(
    (edit, index) =>
      normalizeFileName(edit.fileName) === sameFile &&
      edit.start >= 0 &&
      edit.start <= edit.end &&
      edit.end <= textLength &&
      // ESLint rejects overlapping fixes in one suggestion; an insertion may touch its neighbour.
      (index === 0 || edits[index - 1].end <= edit.start),
  );
}
