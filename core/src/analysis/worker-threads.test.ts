import { afterAll, describe, expect, it } from 'vitest';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, type AnalysedFile } from '../testing/project-findings';

// A worker thread a route starts (`new Worker(path.join(__dirname, 'export.worker.js'), { workerData })`)
// runs its file for that request: what the worker writes lands on this instance's disk. Its sync calls
// block the worker's thread, not the event loop the requests share. A worker started at start-up, and one
// whose file is another module's (`new Worker(jobFile)`), are not the request's.

afterAll(removeAnalysedProjects);

const files: Record<string, string> = {
  'src/app.ts': `import express from 'express';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
const app = express();
app.post('/exports/:id', (req, res) => {
  const worker = new Worker(path.join(__dirname, 'workers', 'export.worker.js'), { workerData: { id: req.params.id } });
  worker.once('message', (message) => res.json(message));
});
new Worker(path.join(__dirname, 'workers', 'index.worker.js'));
app.listen(3000);
`,
  'src/workers/export.worker.ts': `import { parentPort, workerData } from 'node:worker_threads';
import * as fs from 'node:fs';
async function runExport(job: { id: string }): Promise<string> {
  const file = 'exports/' + job.id + '.json';
  fs.writeFileSync(file, JSON.stringify(job));
  return file;
}
runExport(workerData).then((file) => parentPort?.postMessage({ file }));
`,
  'src/workers/index.worker.ts': `import { parentPort } from 'node:worker_threads';
import * as fs from 'node:fs';
parentPort?.on('message', (message: { text: string }) => {
  fs.appendFileSync('search-index.txt', message.text);
});
`,
};

// The same worker file started from the route with a parentPort listener instead of a module-scope call.
const listening: Record<string, string> = {
  'server.js': `const express = require('express');
const { Worker } = require('worker_threads');
const app = express();
app.post('/backup', (req, res) => {
  const worker = new Worker('./tasks/backup-task.js');
  worker.postMessage({ command: 'start' });
  worker.on('exit', () => res.send('done'));
});
app.listen(3000);
`,
  'tasks/backup-task.js': `const { parentPort } = require('worker_threads');
const fs = require('fs/promises');
async function runBackup() {
  await fs.writeFile('backup-data/backup.json', JSON.stringify({ at: Date.now() }));
}
parentPort.on('message', async (message) => {
  if (message.command === 'start') await runBackup();
  process.exit(0);
});
`,
};

const lines = ({ sourceFile, findings }: AnalysedFile): string[] => findings.map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);

describe('a worker thread a request starts runs its file for that request', () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])("%s: the worker's write is the route's, its sync call blocks no request", (_mode, analyse) => {
    const worker = analyse(files, 'src/workers/export.worker.ts');
    expect(lines(worker)).toEqual(['no-local-disk-write 5']);
    expect(worker.findings[0].message).toContain('POST /exports/:id');
  });

  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: a worker started at start-up is not a request', (_mode, analyse) => {
    expect(lines(analyse(files, 'src/workers/index.worker.ts'))).toEqual([]);
  });

  it('untyped: a file named from the working folder, run by its parentPort listener', () => {
    const worker = analyseUntyped(listening, 'tasks/backup-task.js');
    expect(lines(worker)).toEqual(['no-local-disk-write 4']);
    expect(worker.findings[0].message).toContain('POST /backup');
  });
});

// A task manager that starts the worker a row of the service's task table names (`new Worker(task.path)`,
// the row handed in as `addTask({ task: TaskList.Backup })`): any row's file may run. A table whose rows
// name no script (a list of labels) gives no worker.
const taskTable: Record<string, string> = {
  'server.js': `const express = require('express');
const TaskManager = require('./classes/task-manager');
const app = express();
const manager = new TaskManager();
app.post('/backup', (req, res) => {
  manager.addTask({ task: manager.taskList.Backup });
  res.send('started');
});
app.listen(3000);
`,
  'classes/task-manager.js': `const { Worker } = require('worker_threads');
const TaskList = require('../global/task-list');
const Labels = require('../global/labels');
class TaskManager {
  constructor() {
    this.taskList = TaskList;
    this.labels = Labels;
  }
  addTask({ task }) {
    const worker = new Worker(task.path);
    worker.on('exit', () => console.log(Labels.done.path));
  }
}
module.exports = TaskManager;
`,
  'global/task-list.js': `const Tasks = {
  Backup: { path: './tasks/backup-task.js', name: 'Backup' },
  Sync: { path: './tasks/sync-task.js', name: 'Sync' },
};
module.exports = Tasks;
`,
  'global/labels.js': `const Labels = { done: { path: 'Done' } };
module.exports = Labels;
`,
  'tasks/backup-task.js': `const fs = require('fs/promises');
async function runBackup() {
  await fs.writeFile('backup-data/backup.json', JSON.stringify({ at: Date.now() }));
}
runBackup();
`,
  'tasks/sync-task.js': `const fs = require('fs/promises');
fs.writeFile('sync-data/last.json', JSON.stringify({ at: Date.now() }));
`,
};

describe('a worker named by a row of a task table', () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: `new Worker(task.path)` runs the files the imported table names', (_mode, analyse) => {
    const backup = analyse(taskTable, 'tasks/backup-task.js');
    expect(lines(backup)).toEqual(['no-local-disk-write 3']);
    expect(backup.findings[0].message).toContain('POST /backup');
  });
});
