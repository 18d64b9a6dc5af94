import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A @nestjs/schedule decorator's arguments are computed once, as the class is declared
// (`@Interval('cleanup', ms('5m'))`): the calls written there are not the job's work. A job that sweeps
// its own Map of this process stays quiet; a job whose body posts to another service, under the same
// decorator, stays reported.

afterAll(removeAnalysedProjects);

const files = {
  'codes.service.ts': `import { Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import ms from 'ms';

interface Code {
  value: string;
  expiresAt: number;
}

@Injectable()
export class CodesService {
  private codes = new Map<string, Code>();

  @Interval('sweepCodes', ms('5m'))
  sweep() {
    const now = Date.now();
    this.codes.forEach((code, key) => {
      if (code.expiresAt < now) this.codes.delete(key);
    });
  }

  @Interval('reportCodes', ms('1h'))
  async report() {
    await fetch('https://stats.example.com/codes', { method: 'POST', body: String(this.codes.size) });
  }

  count() {
    return this.codes.size;
  }
}
`,
  'app.module.ts': `import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CodesService } from './codes.service';

@Module({ imports: [ScheduleModule.forRoot()], providers: [CodesService] })
export class AppModule {}
`,
  'main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
void bootstrap();
`,
};

const EXPECTED = [
  '22:3 no-in-process-scheduler: `@Interval` runs in every instance of the web process: the job posts to an HTTP API (`fetch`) every `ms(\'1h\')` ms. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
];

describe("calls in a schedule decorator's arguments", () => {
  it('are not the job: a sweep of its own map is quiet, a job that posts elsewhere is reported (typed)', () => {
    expect(typedFindings(files, 'codes.service.ts', ['no-in-process-scheduler'])).toEqual(EXPECTED);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'codes.service.ts', ['no-in-process-scheduler'])).toEqual(EXPECTED);
  });
});
