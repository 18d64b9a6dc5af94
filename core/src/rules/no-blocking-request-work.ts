import ts = require('typescript');
import { findBlockingCall, holdsRequest, runsInTimerCallback } from '../analysis/blocking-calls';
import { fileCallPath, isInPackageInstall, isPackageFolderPath } from '../analysis/disk-writes';
import { endsServer } from '../analysis/server-lifecycle';
import { describeRoutes, pathSteps, primaryReach } from '../analysis/context';
import { backendReaches } from '../analysis/storage-backends';
import { startsWorkerThread } from '../analysis/worker-threads';
import type { RuleDefinition } from '../rule-definition';

export const noBlockingRequestWork: RuleDefinition<'no-blocking-request-work'> = {
  id: 'no-blocking-request-work',
  description: 'Disallow synchronous and slow work on request paths',
  whatBreaks:
    'A synchronous call stops the whole instance for every user while it runs, and slow work inline holds the request until clients time out; adding instances multiplies the stalls, a job queue removes them.',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    syncCall:
      '`{{callee}}` blocks the event loop on {{route}}: while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    slowCall:
      '`{{callee}}` holds the request open on {{route}} while {{what}} runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    useAsyncApi: 'Use the async API: `{{replacement}}`',
    enqueueJob: 'Run `{{name}}` on the job queue: the worker does it and the request no longer waits',
    enqueueAndAccept: 'Run `{{name}}` on the job queue and answer 202 Accepted with the job id (changes the API)',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      slowCalls: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            module: { type: 'string', description: 'The package (or node: module) the call comes from.' },
            name: { type: 'string', description: 'The imported member, `default` for a default import, or a dotted path (`Client.render`).' },
          },
          required: ['module', 'name'],
          additionalProperties: false,
        },
        description: 'More slow calls a request should not wait for, as `{ module, name }` of the imported function.',
      },
      checkSlowCalls: {
        type: 'boolean',
        description: 'Report slow work a request waits for (image and video processing, PDF rendering, e-mail), not only synchronous calls.',
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { slowCalls: [], checkSlowCalls: true },
  hasSuggestions: false,
  check(context, options) {
    if (context.isIgnoredFile) return;
    for (const { node, function: fn } of context.facts.calls) {
      if (!fn) continue;
      // A branch a flag parameter opens that no request's calls turn on (`if (sync)` of an append only the exit handler's flush passes `true`) blocks no request.
      const direct = context.graph.withFlagsOn(node, context.graph.reachesOf(node));
      const blocking = direct.length > 0 || STORAGE_CALL.test(node.getText()) ? findBlockingCall(node, context.facts, options.slowCalls, context.graph.resolver.checker, context.graph.resolver) : undefined;
      if (!blocking || (blocking.kind === 'slow' && !options.checkSlowCalls)) continue;
      // A plugin manager linking packages into node_modules, or a function that installs a missing
      // tool with apt or npm, provisions this machine: deployment work, not the request's.
      if (blocking.kind === 'sync' && ts.isCallExpression(blocking.call) && (isPackageFolderPath(fileCallPath(blocking.call, context.facts)) || isInPackageInstall(blocking.call))) continue;
      // A local storage backend's sync file calls block the requests that call the backend through its interface.
      // Work a worker thread the request started does (`new Worker(file)`) blocks that thread, not the event loop.
      const reached = (direct.length > 0 ? direct : backendReaches(node, context.graph, context.program)).filter((reach) => !reach.calls.some(startsWorkerThread));
      if (reached.length === 0) continue;
      // Slow work holds the request only when every call on the way to it is waited for:
      // `mail.sendReset(user).catch(log)` in the handler lets the request answer at once. Sync work
      // of a handler that restarts or closes its server (settings read again before `restartServer`)
      // stalls no request the restart does not stop anyway.
      const reaches = reached.filter((reach) => (blocking.kind === 'slow' ? reach.calls.every(holdsRequest) && !runsInTimerCallback(blocking.call) : !endsServer(reach.calls, node, true)));
      if (reaches.length === 0) continue;
      context.report({
        ruleId: 'no-blocking-request-work',
        messageId: blocking.kind === 'sync' ? 'syncCall' : 'slowCall',
        data: blocking.kind === 'sync' ? { callee: blocking.callee, route: describeRoutes(reaches, context.graph) } : { callee: blocking.callee, route: describeRoutes(reaches, context.graph), what: blocking.what },
        node: blocking.node,
        path: pathSteps(primaryReach(reaches)!, blocking.call, blocking.kind === 'sync' ? `blocks in ${blocking.callee}()` : `waits for ${blocking.what}`),
      });
    }
  },
};

/** File-system calls, the only blocking work a storage backend does on its own. */
const STORAGE_CALL = /Sync\s*\(/;
