import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A storage module's synchronous variant behind a flag parameter (`append(file, lines, sync = false)`
// whose `if (sync)` branch appends with appendFileSync), and a sync method only that branch of another
// flagged method calls, are there for the exit handler's flush, which cannot wait: a request that leaves
// the flag off never runs them, so they block no request. Look-alikes that stay reported: a route that
// passes the flag on (`save(doc, true)`), one that passes a value of the request, and a sync call
// outside the branch.

afterAll(removeAnalysedProjects);

const storage = `import fs from 'fs';

export class LogStorage {
  constructor(private readonly folder: string) {}

  async append(name: string, lines: string, sync = false) {
    const file = this.folder + '/' + name;
    if (sync) {
      fs.appendFileSync(file, lines);
    } else {
      await fs.promises.appendFile(file, lines);
    }
  }

  appendSync(name: string, lines: string) {
    fs.appendFileSync(this.folder + '/' + name, lines);
  }

  save(name: string, text: string, sync?: boolean) {
    const file = this.folder + '/' + name;
    fs.readFileSync(file, 'utf8');
    return sync ? fs.writeFileSync(file, text) : fs.promises.writeFile(file, text);
  }
}
`;

const logger = `import { LogStorage } from './storage';

class Logger {
  private buffer: string[] = [];
  private readonly storage = new LogStorage('logs');

  private async write(lines: string, sync: boolean = false) {
    if (sync) this.storage.appendSync('today.log', lines);
    else await this.storage.append('today.log', lines);
  }

  log(line: string) {
    this.buffer.push(line);
    if (this.buffer.length > 20) void this.flush();
  }

  async flush() {
    await this.write(this.buffer.splice(0).join('\\n'));
  }

  flushSync() {
    this.write(this.buffer.splice(0).join('\\n'), true);
  }
}

export const logger = new Logger();
process.on('exit', () => logger.flushSync());
`;

const app = (saveCall: string) => `import express from 'express';
import { logger } from './logger';
import { LogStorage } from './storage';

const documents = new LogStorage('documents');
const app = express();
app.post('/events', (req, res) => {
  logger.log(JSON.stringify(req.body));
  res.sendStatus(202);
});
app.put('/documents/:name', async (req, res) => {
  ${saveCall}
  res.sendStatus(204);
});
app.listen(3000);
`;

const ROUTE = 'PUT /documents/:name (app.ts:11)';
const sync = (line: number, column: number, callee: string) =>
  `${line}:${column} no-blocking-request-work: \`${callee}\` blocks the event loop on ${ROUTE}: while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.`;

describe('sync calls in a branch a flag parameter opens', () => {
  it('quiet when every request leaves the flag off; the sync call outside the branch stays reported (typed and untyped)', () => {
    const files = { 'storage.ts': storage, 'logger.ts': logger, 'app.ts': app('await documents.save(req.params.name, String(req.body));') };
    const expected = [sync(21, 5, 'fs.readFileSync')];
    expect(typedFindings(files, 'storage.ts', ['no-blocking-request-work'])).toEqual(expected);
    expect(untypedFindings(files, 'storage.ts', ['no-blocking-request-work'])).toEqual(expected);
  });

  it('reported when a route passes the flag on', () => {
    const files = { 'storage.ts': storage, 'logger.ts': logger, 'app.ts': app('documents.save(req.params.name, String(req.body), true);') };
    const expected = [sync(21, 5, 'fs.readFileSync'), sync(22, 19, 'fs.writeFileSync')];
    expect(typedFindings(files, 'storage.ts', ['no-blocking-request-work'])).toEqual(expected);
    expect(untypedFindings(files, 'storage.ts', ['no-blocking-request-work'])).toEqual(expected);
  });

  it("reported when a route passes a value of the request's", () => {
    const files = { 'storage.ts': storage, 'logger.ts': logger, 'app.ts': app("await documents.save(req.params.name, String(req.body), req.query.sync === '1');") };
    const expected = [sync(21, 5, 'fs.readFileSync'), sync(22, 19, 'fs.writeFileSync')];
    expect(typedFindings(files, 'storage.ts', ['no-blocking-request-work'])).toEqual(expected);
    expect(untypedFindings(files, 'storage.ts', ['no-blocking-request-work'])).toEqual(expected);
  });

  it('the same files on disk stay reported for the disk rule: the exit flush writes the same log', () => {
    const files = { 'storage.ts': storage, 'logger.ts': logger, 'app.ts': app('await documents.save(req.params.name, String(req.body));') };
    const lines = untypedFindings(files, 'storage.ts', ['no-local-disk-write']).map((finding) => finding.split(' ')[0]);
    expect(lines).toEqual(expect.arrayContaining(['9:7', '11:13', '16:5']));
  });
});
