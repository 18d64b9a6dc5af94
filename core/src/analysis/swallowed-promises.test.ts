import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A promise chain that ends in `.then(() => {})` (and a `.catch`) swallows the result: the request
// does not wait for it (round 21 of test/real-world: a mail service whose sends every caller drops),
// written here in a shape of our own, with the look-alike that answers in its `.then`.

afterAll(removeAnalysedProjects);

describe('a slow call whose callers swallow its promise', () => {
  const files = {
    'src/notices.ts': `import nodemailer from 'nodemailer';

const transporter = nodemailer.createTransport({ host: 'smtp.example.com' });

export class Notices {
  static deliver(to: string, html: string) {
    return new Promise((resolve, reject) => {
      transporter.sendMail({ to, html }, (error, info) => (error ? reject(error) : resolve(info)));
    });
  }
}
`,
    'src/routes.ts': `import Koa from 'koa';
import Router from '@koa/router';
import { Notices } from './notices';

const app = new Koa();
const router = new Router();

router.post('/projects/:id/sync', async (ctx) => {
  Notices.deliver('team@example.com', 'synced ' + ctx.params.id).then(() => {}).catch(() => {});
  ctx.status = 202;
});

router.post('/digest', async (ctx) => {
  await Notices.deliver('team@example.com', 'digest').then(() => {});
  ctx.status = 200;
});

app.use(router.routes());
app.listen(3000);
`,
  };

  it('the send is reported for the route that awaits the chain, not for the one that swallows it (untyped and typed)', () => {
    const expected = [
      '8:7 no-blocking-request-work: `transporter.sendMail` holds the request open on POST /digest (src/routes.ts:13) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'src/notices.ts')).toEqual(expected);
    expect(typed(files, 'src/notices.ts')).toEqual(expected);
  });
});

// A send whose callback or `.then` only logs (round 27 of test/real-world: a newsletter server's
// confirmation and password-reset mails, sent while the caller answers at once), written here in a
// shape of our own, with the look-alikes whose callback answers the response or whose chain is awaited.
describe('a slow call whose callers hand it a callback that only logs', () => {
  const files = {
    'src/mail.ts': `import nodemailer from 'nodemailer';

const transport = nodemailer.createTransport({ host: 'smtp.example.com' });

export function deliver(to: string, text: string, done: (err: Error | null) => void) {
  transport.sendMail({ to, text }, (err) => done(err));
}

export function deliverLater(to: string, text: string) {
  return transport.sendMail({ to, text });
}
`,
    'src/routes.ts': `import express from 'express';
import { deliver, deliverLater } from './mail';

const app = express();

app.post('/invites', (req, res) => {
  deliver(req.body.email, 'join us', (err) => {
    if (err) console.error('invite mail failed', err);
  });
  res.status(202).json({ queued: true });
});

app.post('/password-reset', (req, res) => {
  deliver(req.body.email, 'reset', (err) => {
    if (err) return res.status(502).json({ error: 'mail failed' });
    res.json({ sent: true });
  });
});

app.post('/welcome', (req, res) => {
  deliverLater(req.body.email, 'welcome').then((info) => console.log('welcome sent', info.messageId));
  res.sendStatus(202);
});

app.post('/confirm', async (req, res) => {
  await deliverLater(req.body.email, 'confirm').then((info) => console.log('confirm sent', info.messageId));
  res.sendStatus(200);
});

app.listen(3000);
`,
  };

  it('each send is reported for the route that waits for it, not for the one whose callback or then only logs (untyped and typed)', () => {
    const expected = [
      '6:3 no-blocking-request-work: `transport.sendMail` holds the request open on POST /password-reset (src/routes.ts:13) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
      '10:10 no-blocking-request-work: `transport.sendMail` holds the request open on POST /confirm (src/routes.ts:25) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'src/mail.ts')).toEqual(expected);
    expect(typed(files, 'src/mail.ts')).toEqual(expected);
  });
});
