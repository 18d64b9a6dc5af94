import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SchemaService } from './schema.service';

@Module({
  imports: [
    // Every write goes to the primary.
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        type: 'postgres',
        url: config.get<string>('DATABASE_URL', 'postgres://localhost/harbour_lane'),
        autoLoadEntities: true,
        synchronize: false,
      }),
    }),
    // The reporting pages and the day sheets read from the standby to keep load off the primary.
    TypeOrmModule.forRootAsync({
      name: 'replica',
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        type: 'postgres',
        url: config.get<string>('DATABASE_REPLICA_URL') ?? config.get<string>('DATABASE_URL', 'postgres://localhost/harbour_lane'),
        autoLoadEntities: true,
        synchronize: false,
      }),
    }),
  ],
  providers: [SchemaService],
})
export class DatabaseModule {}
