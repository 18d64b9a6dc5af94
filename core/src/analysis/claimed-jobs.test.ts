import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A scheduled job whose work each instance first claims in the database (round 25 of
// test/real-world: a task tracker's reminder crons), written here in other shapes: an insert that
// does nothing when the row exists and hands back what it inserted (Drizzle, Knex, SQL through
// `pool.query`), its result tested before the work. One instance wins each claim, so the work runs
// once. An unchecked insert, and work done before the claim, stay reported. The rows the job reads
// through a Drizzle subquery (`.as('open')`) are a read, not work.

afterAll(removeAnalysedProjects);

const files = {
  'server.ts': `import express from 'express';
import { startJobs } from './jobs';

const app = express();
app.get('/health', (_req, res) => res.send('ok'));
app.listen(3000);
startJobs();
`,
  'db.ts': `import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import knexFactory from 'knex';
export const pool = new Pool();
export const db = drizzle(pool);
export const knex = knexFactory({ client: 'pg' });
`,
  'jobs.ts': `import cron from 'node-cron';
import nodemailer from 'nodemailer';
import { and, eq, lt } from 'drizzle-orm';
import { db, knex, pool } from './db';
import { drafts, invoices, invoiceMails, mailLog } from './schema';

const mailer = nodemailer.createTransport({ host: 'smtp.example.com' });

async function mailOverdue(invoice: { id: string; email: string }) {
  const [claimed] = await db.insert(invoiceMails).values({ invoiceId: invoice.id, kind: 'overdue' }).onConflictDoNothing().returning();
  if (!claimed) return;
  await mailer.sendMail({ to: invoice.email, subject: 'Invoice overdue' });
}

export function startJobs() {
  cron.schedule('*/10 * * * *', async () => {
    const open = db.select().from(invoices).where(lt(invoices.dueAt, new Date())).as('open');
    const due = await db.select().from(open);
    for (const invoice of due) await mailOverdue(invoice);
  });

  setInterval(async () => {
    const rows = await knex('digest_runs').insert({ day: new Date().toISOString().slice(0, 10) }).onConflict('day').ignore().returning('day');
    if (rows.length === 0) return;
    await mailer.sendMail({ to: 'team@example.com', subject: 'Daily digest' });
  }, 60 * 60 * 1000);

  cron.schedule('0 * * * *', async () => {
    const { rowCount } = await pool.query('INSERT INTO report_runs (hour) VALUES ($1) ON CONFLICT (hour) DO NOTHING RETURNING hour', [new Date().getHours()]);
    if (rowCount === 0) return;
    await mailer.sendMail({ to: 'ops@example.com', subject: 'Hourly report' });
  });

  cron.schedule('30 * * * *', async () => {
    await db.insert(mailLog).values({ at: new Date() }).onConflictDoNothing();
    await mailer.sendMail({ to: 'ops@example.com', subject: 'Half past' });
  });

  cron.schedule('45 * * * *', async () => {
    await db.delete(drafts).where(and(eq(drafts.kept, false), lt(drafts.createdAt, new Date())));
    const [claimed] = await db.insert(mailLog).values({ at: new Date() }).onConflictDoNothing().returning();
    if (!claimed) return;
    await mailer.sendMail({ to: 'ops@example.com', subject: 'Drafts purged' });
  });
}
`,
  'schema.ts': `export const invoices = {} as any;
export const invoiceMails = {} as any;
export const mailLog = {} as any;
export const drafts = {} as any;
`,
};

const REPORTED = [
  '34:3 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: the job writes to the database (`db.insert`) every hour at minute 30. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
  '39:3 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: the job writes to the database (`db.delete`) every hour at minute 45. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
];

describe('a job that claims its work with an insert that does nothing on conflict', () => {
  it('Drizzle in a helper the job calls, Knex in an interval and SQL through pool.query run once; an unchecked insert and a delete before the claim are reported (typed)', () => {
    expect(typed(files, 'jobs.ts', ['no-in-process-scheduler'])).toEqual(REPORTED);
  });
  it('the same untyped', () => {
    expect(untyped(files, 'jobs.ts', ['no-in-process-scheduler'])).toEqual(REPORTED);
  });
});
