import { registerAs } from '@nestjs/config';
import { readFileSync } from 'fs';
import { join } from 'path';

export interface ClinicConfig {
  name: string;
  email: string;
  opens: string;
  closes: string;
  slotMinutes: number;
}

export default registerAs('clinic', (): ClinicConfig => JSON.parse(readFileSync(join(__dirname, '..', '..', 'clinic.json'), 'utf8')));
