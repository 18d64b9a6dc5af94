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
