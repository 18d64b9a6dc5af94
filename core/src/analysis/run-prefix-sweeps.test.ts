import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A run's bookkeeping keyed under the run's id (`${runId}:${file}`) in a field of a singleton, so a
// file is added once per run, and swept out by prefix in the run's own `finally` (held-out round 29:
// refly's skill runs, which de-duplicate the files a tool made). Each entry lives as long as the
// run that added it, on the instance running it: this process's account of its own work, as a map
// entry the run deletes by its key already is. Stays a session: the same sweep made by another
// route (an entry outlives the run that added it), and a sweep only in a `catch`. The run returns
// from inside its `try`: the `finally` runs however the `try` ends, so the return is no way out.

afterAll(removeAnalysedProjects);

const service = (cleanup: string) => ({
  'src/runner.ts': `import { store } from './store';

export class Runner {
  private addedFiles = new Map<string, string>();

  private async addFiles(runId: string, files: string[]): Promise<void> {
    for (const file of files) {
      const key = runId + ':' + file;
      if (this.addedFiles.has(key)) continue;
      const id = await store.saveFile(runId, file);
      this.addedFiles.set(key, id);
    }
  }

  async run(runId: string, files: string[]): Promise<number> {
${cleanup}
  }

  forget(runId: string): void {
    for (const key of this.addedFiles.keys()) {
      if (key.startsWith(runId + ':')) this.addedFiles.delete(key);
    }
  }
}

export const runner = new Runner();
`,
  'src/store.ts': `export const store = {
  async saveFile(runId: string, file: string): Promise<string> {
    const response = await fetch('https://files.example.com/' + runId, { method: 'POST', body: file });
    return String(await response.text());
  },
};
`,
  'src/server.ts': `import express from 'express';
import { runner } from './runner';

const app = express();
app.post('/runs/:id', async (req, res) => {
  res.json({ added: await runner.run(req.params.id, req.body.files) });
});
app.delete('/runs/:id', (req, res) => {
  runner.forget(req.params.id);
  res.sendStatus(204);
});
app.listen(3000);
`,
});

const sweptInFinally = `    try {
      await this.addFiles(runId, files);
      return files.length;
    } finally {
      for (const key of this.addedFiles.keys()) {
        if (key.startsWith(\`\${runId}:\`)) {
          this.addedFiles.delete(key);
        }
      }
    }`;

const sweptOnFailure = `    try {
      await this.addFiles(runId, files);
      return files.length;
    } catch (error) {
      for (const key of this.addedFiles.keys()) {
        if (key.startsWith(\`\${runId}:\`)) this.addedFiles.delete(key);
      }
      throw error;
    }`;

const sweptByAnotherRoute = `    await this.addFiles(runId, files);
    return files.length;`;

const SESSION =
  "4:11 no-in-memory-session: `addedFiles` holds application data in this process; it is written by POST /runs/:id (src/server.ts:5) and 1 other route. A second instance will not see it.";

describe("a run's entries swept out by its id's prefix", () => {
  it('in the run’s own finally, they are this process’s running work (untyped and typed)', () => {
    const files = service(sweptInFinally);
    const result = untyped(files, 'src/runner.ts', ['no-in-memory-session']);
    expect(result).toEqual(typed(files, 'src/runner.ts', ['no-in-memory-session']));
    expect(result).toEqual([]);
  });

  it('only on failure, or only by another route, they stay a session', () => {
    for (const cleanup of [sweptOnFailure, sweptByAnotherRoute]) {
      const files = service(cleanup);
      const result = untyped(files, 'src/runner.ts', ['no-in-memory-session']);
      expect(result).toEqual(typed(files, 'src/runner.ts', ['no-in-memory-session']));
      expect(result).toEqual([SESSION]);
    }
  });
});

