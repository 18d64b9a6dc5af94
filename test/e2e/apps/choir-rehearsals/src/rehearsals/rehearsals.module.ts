import { Module } from '@nestjs/common';
import { RehearsalsController } from './rehearsals.controller';
import { RehearsalsService } from './rehearsals.service';
import { RemindersJob } from './reminders.job';

@Module({ controllers: [RehearsalsController], providers: [RehearsalsService, RemindersJob] })
export class RehearsalsModule {}
