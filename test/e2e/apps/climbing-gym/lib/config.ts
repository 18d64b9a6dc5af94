import { readFileSync } from 'fs';
import path from 'path';

export interface GymConfig {
  name: string;
  capacity: number;
  openingHours: { weekdays: string; weekends: string };
  mailFrom: string;
}

// Read once when the server starts; edit gym.json and restart to change it.
export const gym: GymConfig = JSON.parse(readFileSync(path.join(process.cwd(), 'gym.json'), 'utf8'));

export const UPLOAD_DIR = process.env.UPLOAD_DIR || path.join(process.cwd(), 'uploads');
