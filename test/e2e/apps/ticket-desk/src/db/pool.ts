import { Pool } from 'pg';
import { config } from '../config';

// Writes go to the primary; the lists agents look at all day are served by the replica.
export const db = new Pool({ connectionString: config.databaseUrl, max: 10 });
export const replica = new Pool({ connectionString: config.replicaUrl, max: 10 });
