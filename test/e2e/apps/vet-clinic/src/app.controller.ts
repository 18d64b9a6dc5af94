import { Controller, Get } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ClinicConfig } from './config/clinic.config';

@Controller()
export class AppController {
  private readonly clinicName: string;

  constructor(config: ConfigService) {
    this.clinicName = config.get<ClinicConfig>('clinic').name;
  }

  @Get('health')
  health() {
    return { ok: true, clinic: this.clinicName };
  }
}
