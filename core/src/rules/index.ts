import type { RuleDefinition } from '../rule-definition';
import { noInMemorySession } from './no-in-memory-session';
import { noBlockingRequestWork } from './no-blocking-request-work';
import { noInMemoryCounter } from './no-in-memory-counter';
import { noLocalDiskWrite } from './no-local-disk-write';
import { noReplicaReadAfterWrite } from './no-replica-read-after-write';
import { noInProcessScheduler } from './no-in-process-scheduler';
import { noInMemoryPubsub } from './no-in-memory-pubsub';
import { noInProcessLock } from './no-in-process-lock';
import { noProcessLocalCache } from './no-process-local-cache';

/** Every rule, in docs order. */
export const ruleDefinitions: readonly RuleDefinition[] = [noInMemorySession, noLocalDiskWrite, noInMemoryCounter, noBlockingRequestWork, noReplicaReadAfterWrite, noInProcessScheduler, noInMemoryPubsub, noInProcessLock, noProcessLocalCache] as readonly RuleDefinition[];

export type { RuleDefinition, ConfigName, OptionsSchema } from '../rule-definition';
