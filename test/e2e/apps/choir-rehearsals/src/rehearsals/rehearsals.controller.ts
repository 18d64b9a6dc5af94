import { Body, Controller, Get, MessageEvent, Param, ParseIntPipe, Post, Sse, UseGuards } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { fromEvent, interval, map, merge, Observable } from 'rxjs';
import { ConductorOnly } from '../common/conductor-only.decorator';
import { CurrentSinger } from '../common/current-singer.decorator';
import { SessionSinger } from '../common/session-singer';
import { SignedInGuard } from '../common/signed-in.guard';
import { RehearsalsService, RsvpEvent } from './rehearsals.service';

@Controller('rehearsals')
@UseGuards(SignedInGuard)
export class RehearsalsController {
  constructor(
    private readonly rehearsals: RehearsalsService,
    private readonly events: EventEmitter2,
  ) {}

  // The conductor's tablet on the music stand: who just said they are coming.
  @Sse('board')
  @ConductorOnly()
  board(): Observable<MessageEvent> {
    const rsvps = fromEvent(this.events, 'rsvp.created').pipe(map((event) => ({ type: 'rsvp', data: event as RsvpEvent })));
    const heartbeat = interval(25_000).pipe(map(() => ({ type: 'ping', data: {} })));
    return merge(rsvps, heartbeat);
  }

  @Post()
  @ConductorOnly()
  async create(@Body() body: { day?: string; starts?: string; venue?: string; programme?: string }) {
    return { rehearsal: await this.rehearsals.create(body) };
  }

  @Get(':id')
  async show(@Param('id', ParseIntPipe) id: number) {
    const rehearsal = await this.rehearsals.findOne(id);
    return { rehearsal, attendees: await this.rehearsals.attendees(id) };
  }

  @Post(':id/rsvp')
  async rsvp(@Param('id', ParseIntPipe) id: number, @CurrentSinger() singer: SessionSinger) {
    return this.rehearsals.rsvp(id, singer);
  }
}
