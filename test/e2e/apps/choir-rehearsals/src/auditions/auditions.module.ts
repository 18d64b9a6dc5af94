import { Module } from '@nestjs/common';
import { AuditionsController } from './auditions.controller';

@Module({ controllers: [AuditionsController] })
export class AuditionsModule {}
