import AsyncLock from 'async-lock';
import { MoreThanOrEqual } from 'typeorm';
import { config } from '../config';
import { AppDataSource, ReplicaDataSource } from '../data-source';
import { Reservation } from '../entities/Reservation';
import { liveFeed } from '../lib/liveFeed';
import { sendReservationConfirmation } from '../lib/mailer';
import { HttpError } from '../middleware/errorHandler';
import { boatService } from './boatService';
import type { PublicMember } from './memberService';
import { statsService } from './statsService';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ReservationService {
  // One reservation at a time per boat: the check and the insert must not interleave.
  private lock = new AsyncLock();

  private get reservations() {
    return AppDataSource.getRepository(Reservation);
  }

  async reserve(member: PublicMember, boatId: number, day: string) {
    if (typeof day !== 'string' || !DAY.test(day)) throw new HttpError(400, 'day is YYYY-MM-DD');
    const boat = await boatService.get(boatId);
    if (boat.status !== 'afloat') throw new HttpError(409, `${boat.name} is ${boat.status}`);

    const reservation = await this.lock.acquire(`boat:${boatId}`, async () => {
      const taken = await this.reservations.countBy({ boatId, day });
      if (taken > 0) throw new HttpError(409, `${boat.name} is already reserved on ${day}`);
      const mine = await this.reservations.countBy({ memberId: member.id, day });
      if (mine >= config.club.maxReservationsPerDay) throw new HttpError(409, `at most ${config.club.maxReservationsPerDay} boats a day`);
      const launchNumber = statsService.recordLaunch();
      return this.reservations.save(this.reservations.create({ memberId: member.id, boatId, day, launchNumber }));
    });

    await sendReservationConfirmation(member.email, member.name, boat.name, day);
    liveFeed.publish('reservation', { boat: boat.name, day, launchNumber: reservation.launchNumber });

    const upcoming = await ReplicaDataSource.getRepository(Reservation).countBy({ memberId: member.id, day: MoreThanOrEqual(day) });
    return {
      reservation: { id: reservation.id, boatId, day: reservation.day, launchNumber: reservation.launchNumber },
      upcoming,
    };
  }

  async mine(memberId: number) {
    const rows = await this.reservations.find({ where: { memberId }, relations: { boat: true }, order: { day: 'ASC', id: 'ASC' } });
    return rows.map((row) => ({ id: row.id, boat: row.boat.name, day: row.day, launchNumber: row.launchNumber }));
  }

  async forDay(day: string) {
    return this.reservations.find({ where: { day }, relations: { boat: true, member: true } });
  }
}

export const reservationService = new ReservationService();
