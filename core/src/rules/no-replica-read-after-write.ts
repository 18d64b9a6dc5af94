import { describeRoutes, pathSteps, primaryReach } from '../analysis/context';
import { mayReadFromReplica, readsAfterWrites } from '../analysis/read-after-write';
import { lineAndColumn, spanOf } from '../analysis/text';
import { primaryRouteFix } from '../analysis/replica-fixes';
import type { RuleDefinition } from '../rule-definition';
import { DEFAULT_PRIMARY_CLIENTS, DEFAULT_REPLICA_CLIENTS } from './replica-defaults';

export { DEFAULT_PRIMARY_CLIENTS, DEFAULT_REPLICA_CLIENTS };

export const noReplicaReadAfterWrite: RuleDefinition<'no-replica-read-after-write'> = {
  id: 'no-replica-read-after-write',
  description: 'Disallow reading from a read replica right after a write in the same request',
  whatBreaks:
    "Replicas apply the primary's writes after a delay: a read sent to a replica right after a write can miss it, so users do not see what they just saved.",
  configs: ['recommended', 'strict', 'all'],
  messages: {
    replicaReadAfterWrite:
      '`{{read}}` reads from a read replica after `{{write}}` ({{writeAt}}) on {{route}}. A replica lags behind the primary, so this read can miss what the request just wrote. Read it from the primary.',
    readFromPrimary: 'Read from the primary: {{replacement}}',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      replicaClients: {
        type: 'array',
        items: { type: 'string' },
        description: 'Names of database clients that read from a replica (a pg `Pool`, a knex instance, …); `/regex/` strings match by pattern. Every query on them is a replica read.',
      },
      primaryClients: {
        type: 'array',
        items: { type: 'string' },
        description: 'Names of database clients that write to the primary; `/regex/` strings match by pattern. The first plain name is what the fix switches a replica read to.',
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { replicaClients: DEFAULT_REPLICA_CLIENTS, primaryClients: DEFAULT_PRIMARY_CLIENTS },
  hasSuggestions: true,
  check(context, options) {
    if (context.isIgnoredFile || !mayReadFromReplica(context.sourceFile, context.graph, options)) return;
    const calls = [...context.facts.calls, ...context.facts.taggedTemplates].filter((entry) => entry.function !== undefined).map((entry) => entry.node);
    for (const { read, write, reaches } of readsAfterWrites(context.sourceFile, context.graph, options, calls)) {
      const writeFile = write.node.getSourceFile();
      const writeAt = `${context.graph.displayPath(writeFile.fileName)}:${lineAndColumn(writeFile, write.node.getStart(writeFile)).line}`;
      const fix = primaryRouteFix(read, write, context.graph.resolver.checker);
      context.report({
        ruleId: 'no-replica-read-after-write',
        messageId: 'replicaReadAfterWrite',
        data: { read: read.label, write: write.label, writeAt, route: describeRoutes(reaches, context.graph) },
        node: read.node,
        path: pathSteps(primaryReach(reaches)!, read.node, `reads ${read.label} from a replica`),
        related: [{ ...spanOf(write.node), message: `${write.label} writes to the primary here` }],
        fixes: fix ? [fix] : [],
      });
    }
  },
};
