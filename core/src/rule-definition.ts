import type { AnalysisContext } from './analysis/context';
import type { RuleId, RuleOptionsMap } from './types';

/** A JSON schema (draft 4 subset) for one rule's options object, as ESLint takes it. */
export interface OptionsSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown> & { description: string }>;
  additionalProperties: false;
}

export type ConfigName = 'recommended' | 'strict' | 'all';

/** Everything about a rule that every adapter shares: metadata, messages, options and the check itself. */
export interface RuleDefinition<K extends RuleId = RuleId> {
  id: K;
  /** Imperative, no trailing period (typescript-eslint's `meta.docs.description`). */
  description: string;
  /** What breaks once the service runs as N instances, in one or two sentences (hover text, reports). */
  whatBreaks: string;
  /** Configs the rule is part of (`all` always). */
  configs: readonly ConfigName[];
  /** Message templates by camelCase id; placeholders are `{{name}}`, ESLint's syntax. */
  messages: Record<string, string>;
  optionsSchema: OptionsSchema;
  defaultOptions: RuleOptionsMap[K];
  /** Whether the rule can offer fixes (ESLint `hasSuggestions`). */
  hasSuggestions: boolean;
  check(context: AnalysisContext, options: RuleOptionsMap[K]): void;
}
