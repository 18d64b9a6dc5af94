import { scheduledWork } from '../analysis/scheduled-work';
import { findSchedules } from '../analysis/schedulers';
import { getStartupReach } from '../analysis/startup';
import { spanOf } from '../analysis/text';
import type { RuleDefinition } from '../rule-definition';

export const noInProcessScheduler: RuleDefinition<'no-in-process-scheduler'> = {
  id: 'no-in-process-scheduler',
  description: 'Disallow recurring jobs that every instance of the web process starts for itself',
  whatBreaks:
    'A timer or cron job started by the server runs in every instance: with N instances the job runs N times per tick, so e-mails go out N times, customers are billed N times and the runs race each other.',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    schedulerInProcess:
      '`{{callee}}` runs in every instance of the web process: {{work}} {{when}}. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    moveToJobScheduler: 'Run `{{name}}` from the job queue\'s scheduler: one run per tick across all instances, done by the worker',
    holdLeaderLock: 'Keep the timer, but run `{{name}}` only on the instance that holds the leader lock in Redis',
    holdTickLock: 'Keep the schedule, but run each tick on one instance: the first to take `{{name}}` in Redis',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      localOnlyCallees: {
        type: 'array',
        items: { type: 'string' },
        description:
          'Calls that only touch this process (a local cache refresh, a metrics flush), as `name`, `object.method` or `/regex/`: a job that makes only such calls and other local ones is not reported.',
      },
      sharedWorkCallees: {
        type: 'array',
        items: { type: 'string' },
        description: 'Calls that do work that must happen once, beyond the built-in ones (e-mail, notifications, payments, database writes, queues), as `name`, `object.method` or `/regex/`.',
      },
      checkTimers: {
        type: 'boolean',
        description: 'Report `setInterval` and self-rescheduling `setTimeout` loops, not only scheduler libraries (node-cron, cron, node-schedule, toad-scheduler, bree, @nestjs/schedule).',
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { localOnlyCallees: [], sharedWorkCallees: [], checkTimers: true },
  hasSuggestions: false,
  check(context, options) {
    if (context.isIgnoredFile) return;
    const schedules = findSchedules(context.facts, context.graph.resolver);
    if (schedules.length === 0) return;
    const startup = getStartupReach(context.graph, context.program, context.config.requestPath.maxDepth);
    for (const schedule of schedules) {
      if (schedule.library === 'timers' && !options.checkTimers) continue;
      const inWebProcess = schedule.library === '@nestjs/schedule' ? !startup.isWorkerOnlyFile(context.sourceFile) : startup.runsAtStartUp(schedule.node);
      // A timer a request starts runs on the one instance that served the request; one start-up also
      // arms (each stored row's job at boot, armed again when a request edits the row) runs on every instance.
      if (!inWebProcess || (context.graph.reachesOf(schedule.node).length > 0 && !startup.calledAtStartUp(schedule.node))) continue;
      const work = scheduledWork(schedule, context.graph, options);
      if (!work) continue;
      context.report({
        ruleId: 'no-in-process-scheduler',
        messageId: 'schedulerInProcess',
        data: { callee: schedule.callee, work: work.text, when: schedule.when },
        node: schedule.node,
        related: work.shared ? [{ ...spanOf(work.shared.node), message: `${work.shared.effect.replace(/^calls /, 'called ')} here, once per instance per tick` }] : [],
      });
    }
  },
};
