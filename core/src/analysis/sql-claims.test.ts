import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Jobs that claim their work with SQL written for a client's `query`, in the callback style of older
// services (round 27 of test/real-world: a newsletter server's RSS, import and trigger pollers), written
// here in other shapes: MySQL's `INSERT IGNORE` whose affected rows are tested, a compare-and-set
// `UPDATE … SET state = … WHERE … AND state = …`, a plain insert whose duplicate-key error is recognised,
// and a helper that claims a row and hands it to its callback, which tests what it was handed. One
// instance wins each claim. Stay reported: an UPDATE that only stamps a time (no column it sets is
// tested), an INSERT IGNORE whose outcome is never looked at, work after the query call outside its
// callback, an awaited plain insert with no unique key in sight, and a helper that hands rows to its
// callback without claiming them on every path.

afterAll(removeAnalysedProjects);

const files = {
  'server.ts': `import express from 'express';
import { startJobs } from './jobs';

const app = express();
app.get('/health', (_req, res) => res.send('ok'));
app.listen(3000, () => startJobs());
`,
  'db.ts': `import mysql from 'mysql';
export const pool = mysql.createPool({ host: 'db' });
`,
  'jobs.ts': `import cron from 'node-cron';
import nodemailer from 'nodemailer';
import { pool } from './db';

const mailer = nodemailer.createTransport({ host: 'smtp.example.com' });

function claimNextInvoice(done: (err: Error | null, invoice?: any) => void) {
  pool.query('SELECT * FROM invoices WHERE state = ? LIMIT 1', ['due'], (err: any, rows: any[]) => {
    if (err) return done(err);
    if (!rows.length) return done(null, null);
    pool.query('UPDATE invoices SET state = ? WHERE id = ? AND state = ?', ['mailing', rows[0].id, 'due'], (err: any, result: any) => {
      if (err) return done(err);
      if (result.affectedRows === 0) return claimNextInvoice(done);
      done(null, rows[0]);
    });
  });
}

function handOutInvoice(done: (err: Error | null, invoice?: any) => void) {
  pool.query('SELECT * FROM invoices LIMIT 1', (err: any, rows: any[]) => {
    if (rows.length > 1) return done(null, rows[1]);
    pool.query('UPDATE invoices SET state = ? WHERE id = ? AND state = ?', ['mailing', rows[0].id, 'due'], (err: any, result: any) => {
      if (!result.affectedRows) return done(null, null);
      done(null, rows[0]);
    });
  });
}

export function startJobs() {
  setInterval(() => {
    claimNextInvoice((err, invoice) => {
      if (err || !invoice) return;
      mailer.sendMail({ to: invoice.email, subject: 'Invoice due' }, () => undefined);
    });
  }, 60 * 1000);

  cron.schedule('0 * * * *', () => {
    pool.query('INSERT IGNORE INTO digest_runs (hour) VALUES (?)', [new Date().getHours()], (err: any, result: any) => {
      if (err || result.affectedRows === 0) return;
      mailer.sendMail({ to: 'team@example.com', subject: 'Hourly digest' }, () => undefined);
    });
  });

  cron.schedule('5 * * * *', () => {
    pool.query('INSERT INTO reminder_runs (hour) VALUES (' + new Date().getHours() + ')', (err: any) => {
      if (err && err.code === '23505') return;
      if (err) throw err;
      mailer.sendMail({ to: 'team@example.com', subject: 'Reminders' }, () => undefined);
    });
  });

  cron.schedule('10 * * * *', () => {
    pool.query('UPDATE schedules SET last_run = NOW() WHERE id = ?', [1], (err: any, result: any) => {
      if (!result.affectedRows) return;
      mailer.sendMail({ to: 'ops@example.com', subject: 'Stamped' }, () => undefined);
    });
  });

  cron.schedule('15 * * * *', () => {
    pool.query('INSERT IGNORE INTO audit_runs (hour) VALUES (?)', [new Date().getHours()], () => {
      mailer.sendMail({ to: 'ops@example.com', subject: 'Audit' }, () => undefined);
    });
  });

  cron.schedule('20 * * * *', () => {
    pool.query('INSERT IGNORE INTO export_runs (hour) VALUES (?)', [new Date().getHours()], (err: any, result: any) => {
      if (!result.affectedRows) return;
    });
    mailer.sendMail({ to: 'ops@example.com', subject: 'Export' }, () => undefined);
  });

  cron.schedule('25 * * * *', async () => {
    const inserted: any = await pool.query('INSERT INTO mail_log (at) VALUES (NOW())');
    if (!inserted.affectedRows) return;
    mailer.sendMail({ to: 'ops@example.com', subject: 'Logged' }, () => undefined);
  });

  setInterval(() => {
    handOutInvoice((err, invoice) => {
      if (!invoice) return;
      mailer.sendMail({ to: invoice.email, subject: 'Invoice due again' }, () => undefined);
    });
  }, 60 * 1000);
}
`,
};

const REPORTED = [
  '52:3 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: the job writes to the database (`pool.query`) every hour at minute 10. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
  '59:3 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: the job writes to the database (`pool.query`) every hour at minute 15. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
  '65:3 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: the job sends e-mail (`mailer.sendMail`) every hour at minute 20. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
  '72:3 no-in-process-scheduler: `cron.schedule` runs in every instance of the web process: the job writes to the database (`pool.query`) every hour at minute 25. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
  '78:3 no-in-process-scheduler: `setInterval` runs in every instance of the web process: the job sends e-mail (`mailer.sendMail`) every minute. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
];

describe('a job that claims its work with SQL through a callback-style client', () => {
  it('INSERT IGNORE, a compare-and-set UPDATE, a duplicate-key insert and a claiming helper run once; stamps, unread outcomes and work outside the callback are reported (typed)', () => {
    expect(typed(files, 'jobs.ts', ['no-in-process-scheduler'])).toEqual(REPORTED);
  });
  it('the same untyped', () => {
    expect(untyped(files, 'jobs.ts', ['no-in-process-scheduler'])).toEqual(REPORTED);
  });
});
