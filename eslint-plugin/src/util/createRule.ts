import { ESLintUtils } from '@typescript-eslint/utils';
import { ruleDocsUrl } from '@stateless/core';

/** Rules link to their page in `rules-docs/`, the same URL the language server's diagnostics carry (core owns it). */
export const createRule = ESLintUtils.RuleCreator(ruleDocsUrl);
