import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Pool } from 'pg';
import { SchemaService } from './schema.service';
import { PRIMARY, REPLICA } from './tokens';

@Global()
@Module({
  providers: [
    {
      provide: PRIMARY,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => new Pool({ connectionString: config.get<string>('DATABASE_URL'), max: 10 }),
    },
    {
      provide: REPLICA,
      inject: [ConfigService],
      // Reports and lists read from the standby; without one, the primary does.
      useFactory: (config: ConfigService) => new Pool({ connectionString: config.get<string>('DATABASE_REPLICA_URL') || config.get<string>('DATABASE_URL'), max: 10 }),
    },
    SchemaService,
  ],
  exports: [PRIMARY, REPLICA],
})
export class DatabaseModule {}
