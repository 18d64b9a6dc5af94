import { Controller, Get } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SkipThrottle } from '@nestjs/throttler';
import { VOICE_PARTS } from './common/voice-parts';
import { ChoirConfig } from './config/choir.config';

@Controller()
@SkipThrottle()
export class AppController {
  private readonly choir: ChoirConfig;

  constructor(config: ConfigService) {
    this.choir = config.get<ChoirConfig>('choir')!;
  }

  @Get('health')
  health() {
    return { ok: true, choir: this.choir.name };
  }

  @Get('voice-parts')
  voiceParts() {
    return {
      voiceParts: Object.entries(VOICE_PARTS)
        .sort(([, a], [, b]) => a.order - b.order)
        .map(([id, part]) => ({ id, label: part.label, clef: part.clef, places: this.choir.placesPerPart[id as keyof typeof VOICE_PARTS] })),
    };
  }
}
