import type { Linter, Rule } from 'eslint';
import type { RuleId } from '@stateless/core';

export type ConfigName = 'recommended' | 'strict' | 'all';

/**
 * The plugin's public shape, in ESLint's own types so that `stateless.configs.recommended` and
 * `plugins: { stateless }` type-check in any eslint.config.ts (`defineConfig` and
 * typescript-eslint's helpers alike). The rules are built with typescript-eslint's RuleCreator,
 * whose `RuleModule` type ESLint's `Rule.RuleModule` does not accept (their contexts differ);
 * at run time they are ordinary ESLint rules.
 */
export interface StatelessPlugin {
  /** `name` and `version` let ESLint's `--cache` and `--print-config` identify the plugin. */
  meta: { name: string; version: string };
  rules: Record<RuleId, Rule.RuleModule>;
  configs: Record<ConfigName, StatelessFlatConfig>;
  /** `@typescript-eslint/parser` that takes the project index's AST of a file it already parsed (opt-in, untyped linting). */
  parser: Linter.Parser;
}

export interface StatelessFlatConfig {
  name: `stateless/${ConfigName}`;
  plugins: { stateless: StatelessPlugin };
  rules: Partial<Record<`stateless/${RuleId}`, 'error'>>;
}
