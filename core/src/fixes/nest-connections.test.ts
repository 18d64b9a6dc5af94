import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../analysis/analyze';
import { planFixes } from './index';
import { ROOT, applyPlan, findingsIn } from '../testing/fix-plans';

// NestJS services on two TypeORM connections: the default one (the primary) and a second
// `TypeOrmModule.forRootAsync({ name: 'replica', … })` on the standby, injected by name
// (`@InjectRepository(Appointment, 'replica')`, `@InjectDataSource('replica')`). A read through the
// replica's handle right after a write through the primary's misses the write.

const SERVICE = `import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Appointment } from './appointment.entity';
import { Vet } from './vet.entity';

@Injectable()
export class AppointmentsService {
  constructor(
    @InjectRepository(Appointment) private readonly appointments: Repository<Appointment>,
    @InjectRepository(Appointment, 'replica') private readonly replicaAppointments: Repository<Appointment>,
    @InjectRepository(Vet) private readonly vets: Repository<Vet>,
    @InjectDataSource('replica') private readonly replica: DataSource,
  ) {}

  async book(vetId: number, day: string, time: string) {
    const appointment = await this.appointments.save(this.appointments.create({ vetId, day, time }));
    const vetDay = await this.dayOf(vetId, day);
    return { appointment, vetDay };
  }

  async rename(vetId: number, name: string) {
    await this.vets.update(vetId, { name });
    const booked = await this.replicaAppointments.count({ where: { vetId } });
    return { booked };
  }

  async cancel(id: number) {
    await this.appointments.delete(id);
    const rows = await this.replica.query('SELECT id, time FROM appointments ORDER BY time');
    return { rows };
  }

  dayOf(vetId: number, day: string): Promise<Appointment[]> {
    return this.replicaAppointments.find({ where: { vetId, day }, order: { time: 'ASC' } });
  }
}
`;

const CONTROLLER = `import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { AppointmentsService } from './appointments.service';

@Controller()
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Post('appointments')
  book(@Body() body: { vetId: number; day: string; time: string }) {
    return this.appointments.book(body.vetId, body.day, body.time);
  }

  @Get('vets/:id/day/:day')
  day(@Param('id') id: string, @Param('day') day: string) {
    return this.appointments.dayOf(Number(id), day);
  }

  @Patch('vets/:id')
  rename(@Param('id') id: string, @Body() body: { name: string }) {
    return this.appointments.rename(Number(id), body.name);
  }

  @Delete('appointments/:id')
  cancel(@Param('id') id: string) {
    return this.appointments.cancel(Number(id));
  }
}
`;

/** 1-based line and column of an offset. */
function where(sourceFile: ts.SourceFile, offset: number): [number, number] {
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(offset);
  return [line + 1, character + 1];
}

const ENTITIES = {
  [`${ROOT}/src/appointment.entity.ts`]: 'export class Appointment { id!: number; vetId!: number; day!: string; time!: string; }\n',
  [`${ROOT}/src/vet.entity.ts`]: 'export class Vet { id!: number; name!: string; }\n',
};

describe('NestJS: a read through the replica connection after a write through the default one', () => {
  const files = { ...ENTITIES, [`${ROOT}/src/appointments.service.ts`]: SERVICE, [`${ROOT}/src/appointments.controller.ts`]: CONTROLLER };

  it('typed: finds the repository read and the raw SELECT on the replica data source; a write to another entity and a read with no write before it stay quiet', () => {
    const { findings, sourceFile } = findingsIn(files, 'no-replica-read-after-write', `${ROOT}/src/appointments.service.ts`);
    expect(findings.map((finding) => [...where(sourceFile, finding.start), finding.message])).toEqual([
      [
        30,
        24,
        '`this.replica.query()` reads from a read replica after `this.appointments.delete()` (src/appointments.service.ts:29) on DELETE /appointments/:id (AppointmentsController.cancel, src/appointments.controller.ts:23). A replica lags behind the primary, so this read can miss what the request just wrote. Read it from the primary.',
      ],
      [
        35,
        12,
        '`this.replicaAppointments.find()` reads from a read replica after `this.appointments.save()` (src/appointments.service.ts:17) on POST /appointments (AppointmentsController.book, src/appointments.controller.ts:8). A replica lags behind the primary, so this read can miss what the request just wrote. Read it from the primary.',
      ],
    ]);
  });

  it('the repository read moves to the class’s repository of the same entity on the primary; the raw query on the replica data source has no fix', () => {
    const { findings, program, sourceFile } = findingsIn(files, 'no-replica-read-after-write', `${ROOT}/src/appointments.service.ts`);
    const [raw, repository] = findings.map((finding) => planFixes(sourceFile, finding, { program, projectRoot: ROOT }));
    expect(raw.plans).toEqual([]);
    expect(repository.plans.map((plan) => plan.message)).toEqual(['Read from the primary: `this.appointments`']);
    const fixed = applyPlan(files, repository.plans[0]);
    expect(fixed[`${ROOT}/src/appointments.service.ts`]).toBe(
      SERVICE.replace("return this.replicaAppointments.find({ where: { vetId, day }, order: { time: 'ASC' } });", "return this.appointments.find({ where: { vetId, day }, order: { time: 'ASC' } });"),
    );
    const after = findingsIn(fixed, 'no-replica-read-after-write', `${ROOT}/src/appointments.service.ts`);
    expect(after.findings.map((finding) => where(after.sourceFile, finding.start)[0])).toEqual([30]);
  });

  it('untyped: the same two reads, with the controller and the service in one file', () => {
    const oneFile = `${SERVICE.replace("import { Injectable } from '@nestjs/common';", "import { Body, Controller, Delete, Get, Injectable, Param, Patch, Post } from '@nestjs/common';")}\n${CONTROLLER.replace(/^import .*\n/gm, '')}`;
    const sourceFile = ts.createSourceFile(`${ROOT}/src/appointments.ts`, oneFile, ts.ScriptTarget.Latest, true);
    const findings = analyzeSourceFile(sourceFile, { projectRoot: ROOT, rules: ['no-replica-read-after-write'] });
    expect(findings.map((finding) => [where(sourceFile, finding.start!)[0], finding.data.read, finding.data.write])).toEqual([
      [30, 'this.replica.query()', 'this.appointments.delete()'],
      [35, 'this.replicaAppointments.find()', 'this.appointments.save()'],
    ]);
  });

  it('quiet: a connection named otherwise (a reporting database), and reads on the replica with no write before them', () => {
    const reporting = { ...files, [`${ROOT}/src/appointments.service.ts`]: SERVICE.replaceAll("'replica'", "'reporting'").replaceAll('replicaAppointments', 'reportingAppointments').replaceAll('this.replica.', 'this.reporting.').replace('private readonly replica:', 'private readonly reporting:') };
    expect(findingsIn(reporting, 'no-replica-read-after-write', `${ROOT}/src/appointments.service.ts`).findings).toEqual([]);
    const readsOnly = { ...files, [`${ROOT}/src/appointments.service.ts`]: SERVICE.replace('await this.appointments.save(this.appointments.create({ vetId, day, time }))', '{ vetId, day, time }').replace('await this.appointments.delete(id);', '') };
    expect(findingsIn(readsOnly, 'no-replica-read-after-write', `${ROOT}/src/appointments.service.ts`).findings).toEqual([]);
  });
});
