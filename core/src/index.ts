export type * from './types';
export { analyzeSourceFile, getRequestGraph } from './analysis/analyze';
export type { RequestGraph, EntryPoint } from './analysis/request-graph';
export { ruleDefinitions } from './rules';
export type { RuleDefinition, ConfigName, OptionsSchema } from './rules';
export {
  CONFIG_FILE_NAME,
  DEFAULT_ADAPTER_DIR,
  defaultConfig,
  resolveConfig,
  mergeRuleOptions,
  loadProjectConfig,
  clearProjectConfigCache,
  requestPathSchema,
} from './config';
export type { LoadedProjectConfig } from './config';
export { renderMessage } from './messages';
export { lineAndColumn } from './analysis/text';
export { planFixes } from './fixes';
export type { PlannedFixes } from './fixes';
export { Project, fixProject, withDependencies } from './project';
export type { AppliedFix, FixOutcome, FixProjectOptions, ProjectSnapshot, RefusedFix } from './project';
export { ruleDocsUrl } from './docs';
export { parseSuppressions } from './suppressions';
export type { Suppressions } from './suppressions';
