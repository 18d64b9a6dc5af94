import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// A count kept in a field of an object the process makes once (a mailer, a service exported as an
// instance, a NestJS provider): each instance counts its own. The field becomes the Redis counter,
// read and changed through the same object.

const MAILER_JS = `const nodemailer = require('nodemailer');

class Mailer {
  constructor() {
    this.transport = nodemailer.createTransport({ jsonTransport: true });
    this.sent = 0;
  }

  async send(to, subject) {
    const info = await this.transport.sendMail({ to, subject });
    this.sent++;
    return info;
  }
}

module.exports = new Mailer();
`;

const SERVER_JS = `const express = require('express');
const mailer = require('./mailer');
const app = express();
app.post('/invite', async (req, res) => {
  await mailer.send(req.body.email, 'Join us');
  res.status(201).end();
});
app.get('/stats', (req, res) => {
  res.json({ mailsSent: mailer.sent });
});
module.exports = app;
`;

describe('planFixes: a count in a field of a singleton', () => {
  it('CommonJS: `this.sent = 0` in the constructor becomes the counter; `this.sent++` and a read through the exported instance use it', () => {
    const files = { [`${ROOT}/src/mailer.js`]: MAILER_JS, [`${ROOT}/src/server.js`]: SERVER_JS };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/src/mailer.js`);
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/src/mailer.js`]).toBe(`const nodemailer = require('nodemailer');
const { createCounter } = require('./scaling/counter');

class Mailer {
  constructor() {
    this.transport = nodemailer.createTransport({ jsonTransport: true });
    this.sent = createCounter('Mailer.sent');
  }

  async send(to, subject) {
    const info = await this.transport.sendMail({ to, subject });
    await this.sent.increment();
    return info;
  }
}

module.exports = new Mailer();
`);
    expect(fixed[`${ROOT}/src/server.js`]).toBe(`const express = require('express');
const mailer = require('./mailer');
const app = express();
app.post('/invite', async (req, res) => {
  await mailer.send(req.body.email, 'Join us');
  res.status(201).end();
});
app.get('/stats', async (req, res) => {
  res.json({ mailsSent: await mailer.sent.get() });
});
module.exports = app;
`);
    expect(countFindings(fixed, 'no-in-memory-counter')).toBe(0);
  });

  it('TypeScript: a NestJS provider field `private served = 0` (annotated) becomes the counter', () => {
    const files = {
      [`${ROOT}/src/stats.service.ts`]: `import { Injectable } from '@nestjs/common';

@Injectable()
export class StatsService {
  private served: number = 0;

  hit(): void {
    this.served += 1;
  }

  total(): number {
    return this.served;
  }
}
`,
      [`${ROOT}/src/stats.controller.ts`]: `import { Controller, Get, Post } from '@nestjs/common';
import { StatsService } from './stats.service';

@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Post('hit')
  hit() {
    this.stats.hit();
    return { ok: true };
  }

  @Get()
  get() {
    return { served: this.stats.total() };
  }
}
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/stats.service.ts`));
    expect(fixed[`${ROOT}/src/stats.service.ts`]).toBe(`import { Injectable } from '@nestjs/common';
import { createCounter } from './scaling/counter';

@Injectable()
export class StatsService {
  private served = createCounter('StatsService.served');

  async hit(): Promise<void> {
    await this.served.increment(1);
  }

  async total(): Promise<number> {
    return await this.served.get();
  }
}
`);
    expect(fixed[`${ROOT}/src/stats.controller.ts`]).toContain('  async hit() {\n    await this.stats.hit();\n');
    expect(fixed[`${ROOT}/src/stats.controller.ts`]).toContain('  async get() {\n    return { served: await this.stats.total() };\n');
  });

  it('refused when the field starts at a value the code computes', () => {
    const files = { [`${ROOT}/src/mailer.js`]: MAILER_JS.replace('this.sent = 0;', 'this.sent = Number(process.env.MAILS_SENT);'), [`${ROOT}/src/server.js`]: SERVER_JS };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/src/mailer.js`).refused?.reason).toBe('`sent` starts at `Number(process.env.MAILS_SENT)`, not at a whole number');
  });
});
