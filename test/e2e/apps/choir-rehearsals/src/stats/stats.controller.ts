import { Controller, Get, UseGuards } from '@nestjs/common';
import { ConductorOnly } from '../common/conductor-only.decorator';
import { SignedInGuard } from '../common/signed-in.guard';
import { StatsService } from './stats.service';

@Controller('stats')
@UseGuards(SignedInGuard)
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('today')
  @ConductorOnly()
  today() {
    return this.stats.today();
  }
}
