import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { ROOT, applyPlan, findingsIn, movePlan } from '../testing/fix-plans';

// Two TypeORM data sources a service makes itself, one for the standby named as such
// (`ReplicaDataSource`): a read through it right after a write through the other misses the write
// until the standby replays it. Repositories come from `X.getRepository(Entity)`, directly or through
// a getter of the service.

const DATA_SOURCE = `import { DataSource } from 'typeorm';
import { Reservation } from './reservation';

export const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, entities: [Reservation] });
export const ReplicaDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_REPLICA_URL, entities: [Reservation] });
`;
const ENTITY = `export class Reservation {
  id!: number;
  memberId!: number;
  day!: string;
}
`;
const SERVICE = `import { AppDataSource, ReplicaDataSource } from './data-source';
import { Reservation } from './reservation';

export class ReservationService {
  private get reservations() {
    return AppDataSource.getRepository(Reservation);
  }

  async reserve(memberId: number, day: string) {
    const saved = await this.reservations.save(this.reservations.create({ memberId, day }));
    const upcoming = await ReplicaDataSource.getRepository(Reservation).countBy({ memberId });
    return { id: saved.id, upcoming };
  }

  async list() {
    return ReplicaDataSource.getRepository(Reservation).find();
  }
}
export const reservationService = new ReservationService();
`;
const APP = `import express from 'express';
import { reservationService } from './reservations';

export const app = express();
app.post('/reservations', async (req, res) => {
  res.status(201).json(await reservationService.reserve(req.body.memberId, req.body.day));
});
app.get('/reservations', async (_req, res) => {
  res.json(await reservationService.list());
});
`;
const files = { [`${ROOT}/src/data-source.ts`]: DATA_SOURCE, [`${ROOT}/src/reservation.ts`]: ENTITY, [`${ROOT}/src/reservations.ts`]: SERVICE, [`${ROOT}/src/app.ts`]: APP };

describe('TypeORM data sources of the service, one named as the replica', () => {
  it('typed: the count on the replica right after the save through a getter is reported; the list with no write before it is not', () => {
    const { findings } = findingsIn(files, 'no-replica-read-after-write', `${ROOT}/src/reservations.ts`);
    expect(findings.map((finding) => finding.message)).toEqual([
      '`ReplicaDataSource.getRepository(Reservation).countBy()` reads from a read replica after `this.reservations.save()` (src/reservations.ts:10) on POST /reservations (src/app.ts:5). A replica lags behind the primary, so this read can miss what the request just wrote. Read it from the primary.',
    ]);
  });

  it('the fix reads from the other data source, which the file imports already', () => {
    const fixed = applyPlan(files, movePlan(files, 'no-replica-read-after-write', `${ROOT}/src/reservations.ts`))[`${ROOT}/src/reservations.ts`];
    expect(fixed).toBe(SERVICE.replace('const upcoming = await ReplicaDataSource.getRepository(Reservation).countBy({ memberId });', 'const upcoming = await AppDataSource.getRepository(Reservation).countBy({ memberId });'));
  });

  it('quiet when neither data source is named as a replica (a second database, not a standby)', () => {
    const other = { ...files, [`${ROOT}/src/data-source.ts`]: DATA_SOURCE.replaceAll('ReplicaDataSource', 'AuditDataSource'), [`${ROOT}/src/reservations.ts`]: SERVICE.replaceAll('ReplicaDataSource', 'AuditDataSource') };
    expect(findingsIn(other, 'no-replica-read-after-write', `${ROOT}/src/reservations.ts`).findings).toEqual([]);
  });

  it('untyped, one file: the same read after a save through the primary data source, by name', () => {
    const code = `import express from 'express';
import { DataSource } from 'typeorm';
import { Order } from './order';
const AppDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL });
const replicaDataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_REPLICA_URL });
const app = express();
app.post('/orders', async (req, res) => {
  await AppDataSource.getRepository(Order).save(req.body);
  res.json(await replicaDataSource.manager.find(Order, { where: { customer: req.body.customer } }));
});
app.get('/orders', async (_req, res) => {
  res.json(await replicaDataSource.manager.find(Order));
});
`;
    const sourceFile = ts.createSourceFile('/project/src/app.ts', code, ts.ScriptTarget.Latest, true);
    const findings = analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-replica-read-after-write'] });
    expect(findings.map((finding) => `${finding.data.read} after ${finding.data.write}`)).toEqual(['replicaDataSource.manager.find() after AppDataSource.getRepository(Order).save()']);
  });
});
