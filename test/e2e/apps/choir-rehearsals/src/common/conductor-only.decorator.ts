import { SetMetadata } from '@nestjs/common';

export const CONDUCTOR_ONLY = 'conductorOnly';
export const ConductorOnly = () => SetMetadata(CONDUCTOR_ONLY, true);
