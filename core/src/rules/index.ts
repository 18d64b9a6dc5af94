import type { RuleDefinition } from './definition';
import { noInMemorySession } from './no-in-memory-session';
import { noLocalDiskWrite } from './no-local-disk-write';

/** Every rule, in docs order. */
export const ruleDefinitions: readonly RuleDefinition[] = [noInMemorySession, noLocalDiskWrite] as readonly RuleDefinition[];

export type { RuleDefinition, ConfigName, OptionsSchema } from './definition';
