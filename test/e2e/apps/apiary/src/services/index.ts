import { primary, replica } from '../db';
import { AuthService } from './AuthService';
import { HarvestService } from './HarvestService';
import { HiveService } from './HiveService';
import { InspectionService } from './InspectionService';

const hives = new HiveService(primary, replica);

export const services = {
  auth: new AuthService(primary),
  hives,
  inspections: new InspectionService(primary, replica, hives),
  harvests: new HarvestService(primary, hives),
};

export type Services = typeof services;
