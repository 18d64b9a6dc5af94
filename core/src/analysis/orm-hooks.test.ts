import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// An ORM runs an entity's listeners and a schema's middleware inside the save a request makes
// (round 21 of test/real-world: a password hashed in a TypeORM entity's @BeforeInsert), written here
// in shapes of our own, with the look-alikes that stay quiet.

afterAll(removeAnalysedProjects);

describe('TypeORM entity listeners run inside the save a route makes', () => {
  const files = {
    'src/accounts/account.entity.ts': `import { BeforeInsert, BeforeUpdate, Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { hashSync } from 'bcryptjs';
import { Audited } from './audited';

@Entity()
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column()
  secret!: string;

  @BeforeInsert()
  @BeforeUpdate()
  protectSecret() {
    this.secret = hashSync(this.secret, 12);
  }

  @Audited()
  rotate(next: string) {
    return hashSync(next, 12);
  }
}
`,
    'src/accounts/audited.ts': `export function Audited(): MethodDecorator {
  return () => undefined;
}
`,
    'src/accounts/accounts.controller.ts': `import { Body, Controller, Post } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Account } from './account.entity';

@Controller('accounts')
export class AccountsController {
  constructor(@InjectRepository(Account) private readonly accounts: Repository<Account>) {}

  @Post()
  async open(@Body() body: { secret: string }) {
    return this.accounts.save(this.accounts.create({ secret: body.secret }));
  }
}
`,
  };

  it('a hashSync in a @BeforeInsert listener is reported (untyped and typed)', () => {
    const expected = [
      '16:19 no-blocking-request-work: `hashSync` blocks the event loop on TypeORM BeforeInsert listener (Account.protectSecret, src/accounts/account.entity.ts:13): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(untyped(files, 'src/accounts/account.entity.ts')).toEqual(expected);
    expect(typed(files, 'src/accounts/account.entity.ts')).toEqual(expected);
  });
});

describe('Mongoose middleware runs inside the save a route makes', () => {
  const files = {
    'models/member.js': `const mongoose = require('mongoose');
const bcrypt = require('bcryptjs');
const { Pipeline } = require('./pipeline');

const memberSchema = new mongoose.Schema({ email: String, pin: String });

memberSchema.pre('save', function hashPin(next) {
  if (this.isModified('pin')) this.pin = bcrypt.hashSync(this.pin, 10);
  next();
});

const exportPipeline = new Pipeline();
exportPipeline.pre('save', function compress(next) {
  this.body = bcrypt.hashSync(this.body, 4);
  next();
});

module.exports = mongoose.model('Member', memberSchema);
`,
    'models/pipeline.js': `class Pipeline {
  pre(stage, fn) { this[stage] = fn; }
}
module.exports = { Pipeline };
`,
    'app.js': `const express = require('express');
const Member = require('./models/member');

const app = express();
app.post('/members', async (req, res) => {
  const member = await new Member({ email: req.body.email, pin: req.body.pin }).save();
  res.status(201).json({ id: member.id });
});
app.listen(3000);
`,
  };

  it("a hashSync in schema.pre('save') is reported; a project class's pre('save') is not (untyped and typed)", () => {
    const expected = [
      "8:42 no-blocking-request-work: `bcrypt.hashSync` blocks the event loop on Mongoose pre('save') middleware of memberSchema (models/member.js:7): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.",
    ];
    expect(untyped(files, 'models/member.js')).toEqual(expected);
    expect(typed(files, 'models/member.js')).toEqual(expected);
  });
});
