import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A cron panel's task limits (held-out round 36): one instance keeps p-queue queues, with the ids of the
// installs it has queued beside them (added where the install is handed to the queue, dropped when it
// ends, the first read to order the installs) and the runs waiting per cron (stored again after one is
// taken off). Both describe this process's queue: quiet. Stay reported: the same record once a method
// that queues nothing adds to it (ids a route marks by hand).

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache'] as const;

const limits = (extra: string) => `import PQueue from 'p-queue';

type Job = () => Promise<void>;

class TaskLimit {
  private installQueue = new PQueue({ concurrency: 2 });
  private cronQueue = new PQueue({ concurrency: 4 });
  private queuedIds = new Set<number>();
  private queuedRuns = new Map<string, Job[]>();

  get firstQueued() {
    return [...this.queuedIds.values()][0];
  }

  runInstall(id: number, fn: Job) {
    this.queuedIds.add(id);
    return this.installQueue.add(fn);
  }

  removeInstall(id: number) {
    this.queuedIds.delete(id);
  }

  runCron(cron: string, fn: Job) {
    const runs = this.queuedRuns.get(cron) ?? [];
    if (runs.length > 5) return;
    this.queuedRuns.set(cron, [...runs, fn]);
    return this.cronQueue.add(fn);
  }

  removeRun(cron: string) {
    const runs = this.queuedRuns.get(cron);
    if (runs && runs.length > 0) {
      runs.pop();
      this.queuedRuns.set(cron, runs);
    }
  }
${extra}}

export default new TaskLimit();
`;

const server = (extra: string) => `import express from 'express';
import taskLimit from './limits';

const app = express();
app.post('/installs/:id', async (req, res) => {
  const id = Number(req.params.id);
  if (taskLimit.firstQueued !== id) res.status(202);
  await taskLimit.runInstall(id, async () => {
    taskLimit.removeInstall(id);
  });
  res.end();
});
app.post('/crons/:name/run', async (req, res) => {
  await taskLimit.runCron(req.params.name, async () => taskLimit.removeRun(req.params.name));
  res.sendStatus(202);
});
${extra}
app.listen(3000);
`;

const files = (method = '', route = '') => ({ 'limits.ts': limits(method), 'server.ts': server(route) });

describe("a class's record of the work it queued in its own work queue", () => {
  it('the ids of queued installs and the runs waiting per cron are quiet (typed and untyped)', () => {
    expect(typedFindings(files(), 'limits.ts', [...RULES])).toEqual([]);
    expect(untypedFindings(files(), 'limits.ts', [...RULES])).toEqual([]);
  });

  it('ids a route adds by hand, outside any hand-off to the queue: reported', () => {
    const method = `
  mark(id: number) {
    this.queuedIds.add(id);
  }
`;
    const route = "app.post('/installs/:id/mark', (req, res) => { taskLimit.mark(Number(req.params.id)); res.end(); });";
    const finding = '8:11 no-in-memory-session: `queuedIds` holds application data in this process; it is written by POST /installs/:id (server.ts:5) and 1 other route. A second instance will not see it.';
    expect(typedFindings(files(method, route), 'limits.ts', [...RULES])).toEqual([finding]);
    expect(untypedFindings(files(method, route), 'limits.ts', [...RULES])).toEqual([finding]);
  });

  it('ids tested before they are added (work kept from running twice) are no bookkeeping: reported', () => {
    const limitsText = limits('').replace('this.queuedIds.add(id);\n    return this.installQueue.add(fn);', 'if (this.queuedIds.has(id)) return;\n    this.queuedIds.add(id);\n    return this.installQueue.add(fn);');
    const guarded = { 'limits.ts': limitsText, 'server.ts': server('') };
    const finding = '8:11 no-in-memory-session: `queuedIds` holds application data in this process; it is written by POST /installs/:id (server.ts:5). A second instance will not see it.';
    expect(typedFindings(guarded, 'limits.ts', ['no-in-memory-session'])).toEqual([finding]);
    expect(untypedFindings(guarded, 'limits.ts', ['no-in-memory-session'])).toEqual([finding]);
  });
});
