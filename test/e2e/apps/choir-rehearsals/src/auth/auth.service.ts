import { BadRequestException, ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Pool } from 'pg';
import { SessionSinger } from '../common/session-singer';
import { isVoicePart } from '../common/voice-parts';
import { ChoirConfig } from '../config/choir.config';
import { PRIMARY } from '../database/tokens';
import { checkPassword, hashPassword } from './passwords';

export interface RegisterBody {
  email?: string;
  name?: string;
  password?: string;
  voicePart?: string;
  conductorCode?: string;
}

interface SingerRow {
  id: number;
  email: string;
  name: string;
  voice_part: string;
  role: 'singer' | 'conductor';
  password_hash: string;
}

@Injectable()
export class AuthService {
  private readonly conductorCode: string;

  constructor(
    @Inject(PRIMARY) private readonly db: Pool,
    config: ConfigService,
  ) {
    this.conductorCode = config.get<ChoirConfig>('choir')!.conductorCode;
  }

  async register(body: RegisterBody): Promise<SessionSinger> {
    const email = body.email?.trim().toLowerCase();
    if (!email || !body.name || !body.password || body.password.length < 8) throw new BadRequestException('email, name and a password of 8 characters or more');
    if (!isVoicePart(body.voicePart)) throw new BadRequestException('voicePart is soprano, alto, tenor or bass');
    const role = body.conductorCode === this.conductorCode ? 'conductor' : 'singer';
    const existing = await this.db.query('SELECT id FROM singers WHERE email = $1', [email]);
    if (existing.rowCount) throw new ConflictException('that address is already registered');
    const { rows } = await this.db.query<SingerRow>(
      'INSERT INTO singers (email, name, voice_part, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [email, body.name, body.voicePart, role, hashPassword(body.password)],
    );
    return toSessionSinger(rows[0]);
  }

  async login(email: string | undefined, password: string | undefined): Promise<SessionSinger> {
    if (!email || !password) throw new UnauthorizedException('wrong email or password');
    const { rows } = await this.db.query<SingerRow>('SELECT * FROM singers WHERE email = $1', [email.trim().toLowerCase()]);
    const singer = rows[0];
    if (!singer || !checkPassword(password, singer.password_hash)) throw new UnauthorizedException('wrong email or password');
    return toSessionSinger(singer);
  }
}

function toSessionSinger(row: SingerRow): SessionSinger {
  return { id: row.id, email: row.email, name: row.name, voicePart: row.voice_part as SessionSinger['voicePart'], role: row.role };
}
