import { afterAll, describe, expect, it } from 'vitest';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, type AnalysedFile } from '../testing/project-findings';

// A static method of a base class calls `this.runTask()`: `this` is the class the static was called
// on, so `BackupJob.start()` runs `BackupJob.runTask`, the subclass's static override, not the base's
// stub (blinko's scheduled jobs: `BaseScheduleJob.Start` run by the task route on each job class).

afterAll(removeAnalysedProjects);

const files: Record<string, string> = {
  'src/app.ts': `import express from 'express';
import { BackupJob } from './jobs/backup';
const app = express();
app.post('/tasks/backup', async (req, res) => {
  res.json(await BackupJob.start());
});
app.listen(3000);
`,
  'src/jobs/base.ts': `export abstract class BaseJob {
  protected static taskName = 'base';
  protected static async runTask(): Promise<unknown> {
    throw new Error('runTask must be implemented');
  }
  static async start(): Promise<unknown> {
    return { name: this.taskName, output: await this.runTask() };
  }
}
`,
  'src/jobs/backup.ts': `import * as fs from 'node:fs';
import { BaseJob } from './base';
export class BackupJob extends BaseJob {
  protected static taskName = 'backup';
  protected static async runTask(): Promise<unknown> {
    fs.writeFileSync('backups/bak.json', JSON.stringify({ at: Date.now() }));
    return 'ok';
  }
}
`,
  // The same static name in a class that extends no job: no job's \`this\` is it.
  'src/report/digest.ts': `import * as fs from 'node:fs';
export class Digest {
  static async runTask(): Promise<unknown> {
    fs.writeFileSync('digest.txt', 'digest');
    return 'ok';
  }
}
`,
};

const lines = ({ sourceFile, findings }: AnalysedFile): string[] => findings.map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);

describe("a base class's static method runs the subclass's static override through `this`", () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: the backup the task route starts writes on this instance', (_mode, analyse) => {
    const backup = analyse(files, 'src/jobs/backup.ts');
    expect(lines(backup)).toEqual(['no-blocking-request-work 6', 'no-local-disk-write 6']);
    expect(backup.findings[0].message).toContain('POST /tasks/backup');
  });

  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: a static of the same name in a class outside the hierarchy stays quiet', (_mode, analyse) => {
    expect(lines(analyse(files, 'src/report/digest.ts'))).toEqual([]);
  });
});
