import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Mutex } from 'async-mutex';
import { Pool } from 'pg';
import { SessionSinger } from '../common/session-singer';
import { ChoirConfig } from '../config/choir.config';
import { PRIMARY, REPLICA } from '../database/tokens';
import { MailService } from '../mail/mail.service';
import { StatsService } from '../stats/stats.service';

export interface Rehearsal {
  id: number;
  day: string;
  starts: string;
  venue: string;
  programme: string;
  rsvpOpen: boolean;
}

export interface Attendee {
  id: number;
  singerId: number;
  name: string;
  voicePart: string;
}

export interface RsvpEvent {
  rehearsalId: number;
  singer: string;
  voicePart: string;
  at: string;
}

const REHEARSAL_COLUMNS = `id, to_char(day, 'YYYY-MM-DD') AS day, starts, venue, programme, rsvp_open AS "rsvpOpen"`;

@Injectable()
export class RehearsalsService {
  private readonly rsvpLock = new Mutex();
  // Several singers open the same rehearsal at once when the reminder goes out: one query each.
  private readonly loading = new Map<number, Promise<Rehearsal>>();
  private readonly placesPerPart: ChoirConfig['placesPerPart'];

  constructor(
    @Inject(PRIMARY) private readonly db: Pool,
    @Inject(REPLICA) private readonly replica: Pool,
    private readonly mail: MailService,
    private readonly events: EventEmitter2,
    private readonly stats: StatsService,
    config: ConfigService,
  ) {
    this.placesPerPart = config.get<ChoirConfig>('choir')!.placesPerPart;
  }

  async create(body: { day?: string; starts?: string; venue?: string; programme?: string }): Promise<Rehearsal> {
    if (!body.day || !/^\d{4}-\d{2}-\d{2}$/.test(body.day) || !body.starts || !body.venue) throw new BadRequestException('day (YYYY-MM-DD), starts and venue');
    const { rows } = await this.db.query<Rehearsal>(
      `INSERT INTO rehearsals (day, starts, venue, programme) VALUES ($1, $2, $3, $4) RETURNING ${REHEARSAL_COLUMNS}`,
      [body.day, body.starts, body.venue, body.programme ?? ''],
    );
    return rows[0];
  }

  findOne(id: number): Promise<Rehearsal> {
    const pending = this.loading.get(id);
    if (pending) return pending;
    const load = this.db
      .query<Rehearsal>(`SELECT ${REHEARSAL_COLUMNS} FROM rehearsals WHERE id = $1`, [id])
      .then(({ rows }) => {
        if (!rows[0]) throw new NotFoundException(`no rehearsal ${id}`);
        return rows[0];
      })
      .finally(() => this.loading.delete(id));
    this.loading.set(id, load);
    return load;
  }

  async attendees(rehearsalId: number): Promise<Attendee[]> {
    const { rows } = await this.replica.query<Attendee>(
      `SELECT r.id, r.singer_id AS "singerId", s.name, r.voice_part AS "voicePart"
         FROM rsvps r JOIN singers s ON s.id = r.singer_id
        WHERE r.rehearsal_id = $1 ORDER BY r.id`,
      [rehearsalId],
    );
    return rows;
  }

  async rsvp(rehearsalId: number, singer: SessionSinger) {
    const rehearsal = await this.findOne(rehearsalId);
    if (!rehearsal.rsvpOpen) throw new BadRequestException('RSVPs for this rehearsal are closed');

    const rsvp = await this.rsvpLock.runExclusive(async () => {
      const mine = await this.db.query('SELECT id FROM rsvps WHERE rehearsal_id = $1 AND singer_id = $2', [rehearsalId, singer.id]);
      if (mine.rowCount) throw new ConflictException('you are already coming');
      const taken = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM rsvps WHERE rehearsal_id = $1 AND voice_part = $2', [rehearsalId, singer.voicePart]);
      if (taken.rows[0].n >= this.placesPerPart[singer.voicePart]) throw new ConflictException(`the ${singer.voicePart} places are all taken`);
      const { rows } = await this.db.query<{ id: number }>('INSERT INTO rsvps (rehearsal_id, singer_id, voice_part) VALUES ($1, $2, $3) RETURNING id', [rehearsalId, singer.id, singer.voicePart]);
      return rows[0];
    });
    this.stats.rsvpTaken();

    await this.mail.send(singer.email, `See you on ${rehearsal.day}`, `Hello ${singer.name},\n\nyou are down for the rehearsal at ${rehearsal.venue} on ${rehearsal.day} at ${rehearsal.starts}.\nProgramme: ${rehearsal.programme}\n`);
    const event: RsvpEvent = { rehearsalId, singer: singer.name, voicePart: singer.voicePart, at: new Date().toISOString() };
    this.events.emit('rsvp.created', event);

    const attendees = await this.attendees(rehearsalId);
    return { rsvp: { id: rsvp.id, rehearsalId, voicePart: singer.voicePart }, attendees };
  }

  async closePastRsvps(): Promise<number> {
    const { rowCount } = await this.db.query('UPDATE rehearsals SET rsvp_open = false WHERE rsvp_open AND day <= current_date');
    return rowCount ?? 0;
  }
}
