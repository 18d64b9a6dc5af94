import { registerAs } from '@nestjs/config';
import { readFileSync } from 'fs';
import { join } from 'path';
import { VoicePart } from '../common/voice-parts';

export interface ChoirConfig {
  name: string;
  email: string;
  conductorCode: string;
  placesPerPart: Record<VoicePart, number>;
  closeRsvpsCron: string;
  reminderLeadDays: number;
}

export default registerAs('choir', (): ChoirConfig => JSON.parse(readFileSync(join(__dirname, '..', '..', 'choir.json'), 'utf8')));
