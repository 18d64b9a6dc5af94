// First: every other module reads `typescript` as it loads; fail with one line when it has no compiler API.
export { assertTypeScriptApi, typescriptApiProblem, SUPPORTED_TYPESCRIPT, UnsupportedTypeScriptError } from './typescript-api';
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
export { locateConfigProblem } from './config-problems';
export type { ConfigProblemLocation } from './config-problems';
export { renderMessage } from './messages';
export { lineAndColumn } from './analysis/text';
export { planFixes } from './fixes';
export { manifestOf, owningPackageRoot } from './fixes/installed-packages';
export { planAddsError, typeScriptResolvesFrom } from './fixes/type-check';
export type { PlannedFixes } from './fixes';
export { findCompilerConfig, Project, fixProject, nestedProjects, withDependencies } from './project';
export type { AppliedFix, FixOutcome, FixProjectOptions, ProjectSnapshot, RefusedFix } from './project';
export { ruleDocsUrl } from './docs';
export { parseSuppressions } from './suppressions';
export type { Suppressions } from './suppressions';
export { builtProjectIndex, heldSourceFileOf, ProjectIndex, projectIndexFor, projectIndexOfFile } from './project-index/project-index';
export { ModuleResolver } from './project-index/module-resolution';
export { withWorkspacePresets } from './project-index/workspace-presets';
