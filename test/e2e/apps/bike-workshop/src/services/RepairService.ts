import { Mutex } from 'async-mutex';
import { db, replica } from '../db/knex';
import { config } from '../config';
import { RepairStatus, ServiceCode } from '../constants';
import { boardEvents } from './BoardEvents';
import { MailService } from './MailService';

export interface Repair {
  id: number;
  customer_name: string;
  customer_email: string;
  bike: string;
  service: ServiceCode;
  booked_for: string;
  status: RepairStatus;
  mechanic_id: number | null;
}

export interface RepairNote {
  id: number;
  repair_id: number;
  mechanic_id: number;
  body: string;
}

export interface NewRepair {
  customerName: string;
  customerEmail: string;
  bike: string;
  service: ServiceCode;
  bookedFor: string;
}

export class WorkshopFullError extends Error {}

const REPAIR_COLUMNS = ['id', 'customer_name', 'customer_email', 'bike', 'service', db.raw("to_char(booked_for, 'YYYY-MM-DD') as booked_for"), 'status', 'mechanic_id'];

export class RepairService {
  // Two customers booking the last bench of a day at once must not both get it.
  private benchLock = new Mutex();

  constructor(private readonly mail: MailService) {}

  async book(input: NewRepair): Promise<Repair> {
    const repair = await this.benchLock.runExclusive(async () => {
      const [{ count }] = await db('repairs').where({ booked_for: input.bookedFor }).count<{ count: string }[]>('id as count');
      if (Number(count) >= config.workshop.benchesPerDay) throw new WorkshopFullError(`no bench free on ${input.bookedFor}`);
      const [row] = await db('repairs')
        .insert({
          customer_name: input.customerName,
          customer_email: input.customerEmail,
          bike: input.bike,
          service: input.service,
          booked_for: input.bookedFor,
        })
        .returning(REPAIR_COLUMNS);
      return row as Repair;
    });
    await this.mail.bookingConfirmation(repair);
    boardEvents.publish({ type: 'repair.booked', repairId: repair.id });
    return repair;
  }

  async list(status?: string): Promise<Repair[]> {
    const query = replica('repairs').select(REPAIR_COLUMNS).orderBy('id');
    if (status) query.where({ status });
    return query;
  }

  async get(id: number): Promise<Repair | undefined> {
    return replica('repairs').select(REPAIR_COLUMNS).where({ id }).first();
  }

  async notes(repairId: number): Promise<RepairNote[]> {
    return replica<RepairNote>('repair_notes').select('id', 'repair_id', 'mechanic_id', 'body').where({ repair_id: repairId }).orderBy('id');
  }

  async addNote(repairId: number, mechanicId: number, body: string): Promise<{ note: RepairNote; notes: RepairNote[] }> {
    const [note] = await db<RepairNote>('repair_notes').insert({ repair_id: repairId, mechanic_id: mechanicId, body }).returning(['id', 'repair_id', 'mechanic_id', 'body']);
    boardEvents.publish({ type: 'repair.note', repairId });
    const notes = await this.notes(repairId);
    return { note, notes };
  }

  async setStatus(id: number, status: RepairStatus, mechanicId: number): Promise<Repair | undefined> {
    const [repair] = await db('repairs').where({ id }).update({ status, mechanic_id: mechanicId }).returning(REPAIR_COLUMNS);
    if (!repair) return undefined;
    boardEvents.publish({ type: 'repair.status', repairId: id, status });
    if (status === 'ready') await this.mail.readyForPickup(repair);
    return repair as Repair;
  }

  async waitingForPickup(): Promise<Repair[]> {
    return replica('repairs').select(REPAIR_COLUMNS).where({ status: 'ready' });
  }
}
