import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A cron panel (round 36): dependency installs go through `new PQueue({ concurrency: 1 })`, a field of
// the exported task-limit singleton, so two installs never run at once in this process; on two
// instances they do. A queue of more than one bounds this instance's own concurrency, and a queue of
// one used only at start-up guards no request.

afterAll(removeAnalysedProjects);

const files = (concurrency: string, use: string) => ({
  'back/shared/pLimit.ts': `import PQueue from 'p-queue';

class TaskLimit {
  private dependencyLimit = new PQueue({ concurrency: ${concurrency} });

  runDependency<T>(fn: () => Promise<T>) {
    return this.dependencyLimit.add(fn);
  }
}

export default new TaskLimit();
`,
  'back/app.ts': `import express from 'express';
import taskLimit from './shared/pLimit';
import { install } from './install';

const app = express();
${use}
app.listen(3000);
`,
  'back/install.ts': `export async function install(name: string): Promise<string> {
  return name;
}
`,
});

const ROUTE = `app.post('/dependencies', async (req, res) => {
  res.send(await taskLimit.runDependency(() => install(req.body.name)));
});`;

const lock =
  '4:29 no-in-process-lock: p-queue `dependencyLimit` excludes only callers in this process; it is used by POST /dependencies (back/app.ts:6). A request on another instance runs the guarded work at the same time.';

describe('a p-queue of concurrency one', () => {
  it('used on a request path is a lock of this process (typed and untyped)', () => {
    const project = files('1', ROUTE);
    expect(untypedFindings(project, 'back/shared/pLimit.ts', ['no-in-process-lock'])).toEqual([lock]);
    expect(typedFindings(project, 'back/shared/pLimit.ts', ['no-in-process-lock'])).toEqual([lock]);
  });

  it('quiet: a queue of four bounds this instance only; a queue of one used only at start-up', () => {
    const four = files('4', ROUTE);
    expect(untypedFindings(four, 'back/shared/pLimit.ts', ['no-in-process-lock'])).toEqual([]);
    expect(typedFindings(four, 'back/shared/pLimit.ts', ['no-in-process-lock'])).toEqual([]);
    const startup = files('1', "taskLimit.runDependency(() => install('base'));");
    expect(untypedFindings(startup, 'back/shared/pLimit.ts', ['no-in-process-lock'])).toEqual([]);
    expect(typedFindings(startup, 'back/shared/pLimit.ts', ['no-in-process-lock'])).toEqual([]);
  });
});
