import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Amazon SES, the hosted e-mail API most AWS-hosted services use: the v2 SDK's `ses.sendEmail(params).promise()`
// and the v3 client's `ses.send(new SendEmailCommand(params))` are an HTTPS round trip to the provider per
// message, as nodemailer's, Postmark's and Resend's sends are.

afterAll(removeAnalysedProjects);

const untyped = (files: Record<string, string>, file: string): string[] => untypedFindings(files, file, ['no-blocking-request-work']);
const typed = (files: Record<string, string>, file: string): string[] => typedFindings(files, file, ['no-blocking-request-work']);

describe('mail sent through Amazon SES while the request waits', () => {
  it('the v2 SDK: `ses.sendTemplatedEmail(params).promise()` in a module the route awaits, typed and untyped', () => {
    const files = {
      'app.js': `const express = require('express');
const mail = require('./mail');

const app = express();
app.post('/invite', async (req, res) => {
  await mail.sendInvite(req.body.email);
  res.status(201).end();
});
module.exports = app;
`,
      'mail.js': `const AWS = require('aws-sdk');

const ses = new AWS.SES({ region: 'eu-west-1' });

exports.sendInvite = (to) =>
  ses
    .sendTemplatedEmail({ Destination: { ToAddresses: [to] }, Source: 'team@example.com', Template: 'Invite', TemplateData: '{}' })
    .promise();
`,
    };
    const expected = [
      '6:3 no-blocking-request-work: `ses.sendTemplatedEmail` holds the request open on POST /invite (app.js:5) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'mail.js')).toEqual(expected);
    expect(typed(files, 'mail.js')).toEqual(expected);
  });

  it('the v3 client: `ses.send(new SendEmailCommand(…))` in a Koa route', () => {
    const files = {
      'routes.js': `import Router from '@koa/router';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';

const ses = new SESClient({ region: 'us-east-1' });
const router = new Router();

router.post('/contact', async (ctx) => {
  const { email, body } = ctx.request.body;
  await ses.send(new SendEmailCommand({ Destination: { ToAddresses: ['team@example.com'] }, Source: email, Message: { Subject: { Data: 'Contact' }, Body: { Text: { Data: body } } } }));
  ctx.status = 202;
});

export default router;
`,
    };
    const expected = [
      '9:9 no-blocking-request-work: `ses.send` holds the request open on POST /contact (routes.js:7) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'routes.js')).toEqual(expected);
    expect(typed(files, 'routes.js')).toEqual(expected);
  });

  it('the v3 client given a command made in a local first, by a mailer class a route awaits (typed and untyped)', () => {
    const files = {
      'app.ts': `import express from 'express';
import { mailer } from './mailer';

const app = express();
app.post('/teams/:id/invite', async (req, res) => {
  await mailer.notify(req.body.emails, 'You are invited');
  res.sendStatus(204);
});
app.get('/mail/quota', async (_req, res) => {
  res.json(await mailer.quota());
});
app.listen(3000);
`,
      'mailer.ts': `import { SESv2Client, SendEmailCommand, GetAccountCommand } from '@aws-sdk/client-sesv2';

class SesMailer {
  private client = new SESv2Client({ region: process.env.AWS_REGION });

  async notify(recipients: string[], subject: string) {
    for (const to of recipients) {
      const command = new SendEmailCommand({ Destination: { ToAddresses: [to] }, Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: subject } } } } });
      await this.client.send(command);
    }
  }

  async quota() {
    const request = new GetAccountCommand({});
    return (await this.client.send(request)).SendQuota;
  }
}

export const mailer = new SesMailer();
`,
    };
    const expected = [
      '9:13 no-blocking-request-work: `this.client.send` holds the request open on POST /teams/:id/invite (app.ts:5) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'mailer.ts')).toEqual(expected);
    expect(typed(files, 'mailer.ts')).toEqual(expected);
  });

  it('quiet: the SES client asked for its quota, another v3 client sending its own command, and a mail fired without waiting', () => {
    const files = {
      'routes.js': `import Router from '@koa/router';
import { SESClient, GetSendQuotaCommand, SendEmailCommand } from '@aws-sdk/client-ses';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';

const ses = new SESClient({});
const s3 = new S3Client({});
const router = new Router();

router.get('/quota', async (ctx) => {
  ctx.body = await ses.send(new GetSendQuotaCommand({}));
});
router.put('/files/:key', async (ctx) => {
  await s3.send(new PutObjectCommand({ Bucket: 'files', Key: ctx.params.key, Body: ctx.request.body }));
  ses.send(new SendEmailCommand({ Destination: { ToAddresses: ['team@example.com'] }, Source: 'app@example.com', Message: {} })).catch(() => {});
  ctx.status = 204;
});

export default router;
`,
    };
    expect(untyped(files, 'routes.js')).toEqual([]);
    expect(typed(files, 'routes.js')).toEqual([]);
  });

  it('quiet: a digest mailed by a script, not on a request path', () => {
    const files = {
      'scripts/digest.js': `const AWS = require('aws-sdk');

const ses = new AWS.SES();

async function main() {
  await ses.sendEmail({ Destination: { ToAddresses: ['team@example.com'] }, Source: 'app@example.com', Message: {} }).promise();
}

main();
`,
    };
    expect(untyped(files, 'scripts/digest.js')).toEqual([]);
    expect(typed(files, 'scripts/digest.js')).toEqual([]);
  });
});

describe('mail sent through a client the service made in another module', () => {
  // A mail module exports the client it made (`export const ses = new SES({ region })`, the v3 packages' aggregated
  // client with the v2 methods), or a factory hands a transport back (`return nodemailer.createTransport(…)`);
  // the file that sends imports neither package.
  const files = {
    'src/app.ts': `import express from 'express';
import { sendReceipt, notifyAssignee, notifyWatchers, pingHooks } from './notices';

const app = express();
app.post('/orders/:id/receipt', async (req, res) => {
  await sendReceipt(req.body.email);
  res.status(201).end();
});
app.post('/tickets/:id/assign', async (req, res) => {
  await notifyAssignee(req.body.email);
  res.status(204).end();
});
app.post('/tickets/:id/comments', async (req, res) => {
  notifyWatchers(req.body.emails);
  await pingHooks(req.params.id);
  res.status(201).end();
});
app.listen(3000);
`,
    'src/clients.ts': `import { SES } from '@aws-sdk/client-ses';
import axios from 'axios';
import nodemailer from 'nodemailer';

export const ses = new SES({ region: process.env.AWS_REGION });

export async function createTransport() {
  const host = process.env.SMTP_HOST;
  if (!host) throw new Error('No SMTP host');
  return nodemailer.createTransport({ host, port: 587 });
}

export function createHookClient() {
  return axios.create({ baseURL: process.env.HOOKS_URL });
}
`,
    'src/notices.ts': `import { ses, createTransport, createHookClient } from './clients';

export async function sendReceipt(to: string) {
  await ses.sendRawEmail({ RawMessage: { Data: new TextEncoder().encode(\`To: \${to}\\r\\nSubject: Receipt\\r\\n\\r\\nThanks\`) } });
}

export async function notifyAssignee(to: string) {
  const transport = await createTransport();
  await transport.sendMail({ from: 'desk@example.com', to, subject: 'A ticket is yours' });
}

export async function notifyWatchers(recipients: string[]) {
  const transport = await createTransport();
  await transport.sendMail({ from: 'desk@example.com', to: recipients, subject: 'New comment' });
}

export async function pingHooks(id: string) {
  const hooks = createHookClient();
  await hooks.post('/sendMail', { id });
}
`,
  };

  it('reports the sends a route waits for, typed and untyped; the watchers\' mail a route does not wait for and an HTTP client\'s post stay quiet', () => {
    const expected = [
      '4:9 no-blocking-request-work: `ses.sendRawEmail` holds the request open on POST /orders/:id/receipt (src/app.ts:5) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
      '9:9 no-blocking-request-work: `transport.sendMail` holds the request open on POST /tickets/:id/assign (src/app.ts:9) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'src/notices.ts')).toEqual(expected);
    expect(typed(files, 'src/notices.ts')).toEqual(expected);
  });

  it('quiet: a service\'s own `sendEmail` in a file that imports the SES package for its plain client', () => {
    const quiet = {
      'src/app.ts': `import express from 'express';
import { SESClient } from '@aws-sdk/client-ses';
import { mailQueue } from './queue';

export const ses = new SESClient({});
const app = express();
app.post('/invites', async (req, res) => {
  await mailQueue.sendEmail({ to: req.body.email, template: 'invite' });
  res.status(202).end();
});
app.listen(3000);
`,
      'src/queue.ts': `export const mailQueue = {
  async sendEmail(job: { to: string; template: string }) {
    return job;
  },
};
`,
    };
    expect(untyped(quiet, 'src/app.ts')).toEqual([]);
    expect(typed(quiet, 'src/app.ts')).toEqual([]);
  });
});

describe('mail sent through other hosted e-mail SDKs while the request waits', () => {
  const files = {
    'src/app.ts': `import express from 'express';
import { sendWelcome, sendReceipt, logMessage, ReceiptMailer } from './mailers';

const app = express();
app.post('/signup', async (req, res) => {
  await sendWelcome(req.body.email);
  res.status(201).end();
});
app.post('/orders/:id/receipt', async (req, res) => {
  await sendReceipt(req.body.email);
  res.status(201).end();
});
app.post('/messages', async (req, res) => {
  await logMessage(req.body.text);
  res.status(201).end();
});
const receipts = new ReceiptMailer();
app.post('/orders/:id/resend', async (req, res) => {
  await receipts.send({ to: req.body.email });
  res.status(202).end();
});
app.listen(3000);
`,
    'src/mailers.ts': `import formData from 'form-data';
import Mailgun from 'mailgun.js';
import Mailjet from 'node-mailjet';
import MailerSend from 'mailersend';

declare const db: { messages: { create(data: { text: string }): Promise<void> } };
const mg = new Mailgun(formData).client({ username: 'api', key: String(process.env.MAILGUN_KEY) });
const mailjet = new Mailjet({ apiKey: process.env.MJ_KEY, apiSecret: process.env.MJ_SECRET });

export async function sendWelcome(to: string) {
  await mg.messages.create('mg.example.com', { from: 'team@example.com', to, subject: 'Welcome', text: 'Hi' });
}

export async function sendReceipt(to: string) {
  const send = mailjet.post('send', { version: 'v3.1' });
  await send.request({ Messages: [{ From: { Email: 'shop@example.com' }, To: [{ Email: to }], Subject: 'Receipt' }] });
}

export async function logMessage(text: string) {
  await db.messages.create({ text });
  await mg.domains.list();
}

export class ReceiptMailer {
  private mailerSend = new MailerSend({ api_key: String(process.env.MAILERSEND_KEY) });
  async send(params: object) {
    await this.mailerSend.send(params);
  }
}
`,
  };
  const expected = [
    "11:9 no-blocking-request-work: `mg.messages.create` holds the request open on POST /signup (src/app.ts:5) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).",
    "16:9 no-blocking-request-work: `send.request` holds the request open on POST /orders/:id/receipt (src/app.ts:9) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).",
    '27:11 no-blocking-request-work: `this.mailerSend.send` holds the request open on POST /orders/:id/resend (src/app.ts:18) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
  ];

  it("Mailgun's `mg.messages.create`, Mailjet's send request and MailerSend's send (v1) are reported; the app's own `db.messages.create` and a domain listing beside them are not (untyped)", () => {
    expect(untyped(files, 'src/mailers.ts')).toEqual(expected);
  });

  it('the same, typed', () => {
    expect(typed(files, 'src/mailers.ts')).toEqual(expected);
  });
});

describe('a send function destructured from what a factory returns', () => {
  it('`const { send } = createMailer(…)` in a Fastify plugin, the factory typed to return `{ send: Send }`: its nodemailer send is on the route; the `close` beside it is not slow (typed and untyped)', () => {
    const files = {
      'mailer.ts': `import nodemailer from 'nodemailer';

export type Send = (to: string, subject: string) => Promise<void>;

export function createMailer(host: string): { send: Send; close: () => void } {
  const transporter = nodemailer.createTransport({ host });
  return {
    send: async (to, subject) => {
      await transporter.sendMail({ from: 'team@example.com', to, subject });
    },
    close: () => transporter.close(),
  };
}
`,
      'app.ts': `import Fastify from 'fastify';
import { createMailer } from './mailer';

const app = Fastify();
app.register(async (instance) => {
  const { send, close } = createMailer(process.env.SMTP_HOST ?? 'localhost');
  instance.post('/signup', async (request) => {
    await send((request.body as { email: string }).email, 'Welcome');
    return { ok: true };
  });
  instance.post('/mail/close', async () => {
    close();
    return { ok: true };
  });
});
app.listen({ port: 3000 });
`,
    };
    const expected = [
      '9:13 no-blocking-request-work: `transporter.sendMail` holds the request open on POST /signup (app.ts:7) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'mailer.ts')).toEqual(expected);
    expect(typed(files, 'mailer.ts')).toEqual(expected);
  });
});

describe('a mailer a Fastify plugin decorates the instance with', () => {
  it('`fastify.decorate(\'email\', { … })` and a route module calling `request.server.email.sendWelcome(…)`: the send is on the route, untyped as typed; a member the decoration does not have stays unresolved', () => {
    const files = {
      'plugins/email.ts': `import fp from 'fastify-plugin';
import nodemailer from 'nodemailer';

export default fp(async (fastify) => {
  const transporter = nodemailer.createTransport({ host: process.env.SMTP_HOST });
  fastify.decorate('email', {
    async sendWelcome(to: string) {
      await transporter.sendMail({ from: 'team@example.com', to, subject: 'Welcome' });
    },
  });
});
`,
      'routes/signup.ts': `import type { FastifyInstance } from 'fastify';

export default async function signupRoutes(fastify: FastifyInstance) {
  fastify.post('/signup', async (request) => {
    const { email } = request.body as { email: string };
    await request.server.email.sendWelcome(email);
    await request.server.audit.record('signup', email);
    return { ok: true };
  });
}
`,
      'app.ts': `import Fastify from 'fastify';
import email from './plugins/email';
import signupRoutes from './routes/signup';

const app = Fastify();
app.register(email);
app.register(signupRoutes);
app.listen({ port: 3000 });
`,
    };
    const expected = [
      '8:13 no-blocking-request-work: `transporter.sendMail` holds the request open on POST /signup (routes/signup.ts:4) while sending e-mail runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).',
    ];
    expect(untyped(files, 'plugins/email.ts')).toEqual(expected);
    expect(typed(files, 'plugins/email.ts')).toEqual(expected);
  });
});
