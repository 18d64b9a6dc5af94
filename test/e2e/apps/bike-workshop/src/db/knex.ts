import knex, { Knex } from 'knex';
import { config } from '../config';

// Writes go to the primary; the dashboards and lists read from the streaming replica.
export const db: Knex = knex({ client: 'pg', connection: config.databaseUrl, pool: { min: 0, max: 10 } });
export const replica: Knex = knex({ client: 'pg', connection: config.replicaUrl, pool: { min: 0, max: 10 } });
