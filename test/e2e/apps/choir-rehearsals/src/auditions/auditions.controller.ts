import { BadRequestException, Body, Controller, Inject, Post } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { Pool } from 'pg';
import { isVoicePart } from '../common/voice-parts';
import { PRIMARY } from '../database/tokens';

// The public "come and sing with us" form on the website; bots found it in the first week.
@Controller('auditions')
export class AuditionsController {
  constructor(@Inject(PRIMARY) private readonly db: Pool) {}

  @Post()
  @Throttle({ default: { limit: 3, ttl: 60_000 } })
  async apply(@Body() body: { name?: string; email?: string; voicePart?: string; message?: string }) {
    if (!body.name || !body.email?.includes('@')) throw new BadRequestException('a name and an email address');
    if (!isVoicePart(body.voicePart)) throw new BadRequestException('voicePart is soprano, alto, tenor or bass');
    const { rows } = await this.db.query<{ id: number }>(
      'INSERT INTO auditions (name, email, voice_part, message) VALUES ($1, $2, $3, $4) RETURNING id',
      [body.name, body.email, body.voicePart, body.message ?? ''],
    );
    return { audition: { id: rows[0].id, voicePart: body.voicePart }, message: 'Thank you! The conductor will be in touch.' };
  }
}
