import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Slow work in the callback of a timer the request path arms (a batch of uploads mailed once, five
// seconds after the last one) runs after the handler went on: the request does not wait for it
// (round 34 of test/real-world: a file-sharing service's batched upload notices), written here in a
// shape of our own. Look-alikes that stay reported: the same send awaited by the request, and a
// timer inside a Promise the request awaits, whose callback resolves it.

afterAll(removeAnalysedProjects);

const files = {
  'mail.ts': `import nodemailer from 'nodemailer';

export class Mailer {
  private transport = nodemailer.createTransport({ host: process.env.SMTP_HOST });

  async sendDigest(to: string, names: string[]) {
    await this.transport.sendMail({ to, subject: 'New files', text: names.join(', ') });
  }

  async sendReceipt(to: string, name: string) {
    await this.transport.sendMail({ to, subject: 'Received', text: name });
  }

  async sendLater(to: string, name: string) {
    await new Promise<void>((resolve) => setTimeout(async () => {
      await this.transport.sendMail({ to, subject: 'Reminder', text: name });
      resolve();
    }, 1000));
  }
}
`,
  'batches.ts': `import { Mailer } from './mail';

export class Batches {
  private mailer = new Mailer();
  private pending = new Map<string, { names: string[]; timer?: NodeJS.Timeout }>();

  async register(owner: string, name: string) {
    this.remember(owner, name);
    await this.mailer.sendReceipt(owner, name);
    await this.mailer.sendLater(owner, name);
    return { ok: true };
  }

  private remember(owner: string, name: string) {
    const batch = this.pending.get(owner) ?? { names: [] };
    batch.names.push(name);
    this.pending.set(owner, batch);
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = setTimeout(async () => {
      await this.mailer.sendDigest(owner, batch.names);
      this.pending.delete(owner);
    }, 5000);
  }
}
`,
  'app.ts': `import express from 'express';
import { Batches } from './batches';

const batches = new Batches();
const app = express();
app.post('/files/:owner', express.json(), async (req, res) => {
  res.json(await batches.register(req.params.owner, String(req.body.name)));
});
app.listen(3000);
`,
};

const slow = (line: number, column: number) =>
  `${line}:${column} no-blocking-request-work: \`this.transport.sendMail\` holds the request open on POST /files/:owner (app.ts:6) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).`;
const EXPECTED = [slow(11, 11), slow(16, 13)];

describe('slow work in the callback of a timer the request path arms', () => {
  it('the batched send is quiet; the awaited send and the timer inside an awaited Promise stay reported (typed)', () => {
    expect(typedFindings(files, 'mail.ts', ['no-blocking-request-work'])).toEqual(EXPECTED);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'mail.ts', ['no-blocking-request-work'])).toEqual(EXPECTED);
  });
});
