import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AppController } from './app.controller';
import { AuditionsModule } from './auditions/auditions.module';
import { AuthModule } from './auth/auth.module';
import choirConfig from './config/choir.config';
import { DatabaseModule } from './database/database.module';
import { MailModule } from './mail/mail.module';
import { RehearsalsModule } from './rehearsals/rehearsals.module';
import { ScoresModule } from './scores/scores.module';
import { StatsModule } from './stats/stats.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [choirConfig] }),
    ThrottlerModule.forRoot([{ ttl: 60_000, limit: 100 }]),
    CacheModule.register({ isGlobal: true, ttl: 5 * 60 * 1000 }),
    ScheduleModule.forRoot(),
    EventEmitterModule.forRoot(),
    DatabaseModule,
    MailModule,
    StatsModule,
    AuthModule,
    ScoresModule,
    RehearsalsModule,
    AuditionsModule,
  ],
  controllers: [AppController],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class AppModule {}
