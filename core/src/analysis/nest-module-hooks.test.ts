import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Nest makes each `@Module()` class once as the application starts, as it makes a singleton provider,
// and runs its `onModuleInit` / `onApplicationBootstrap` hooks: round 35 of test/real-world, an image
// host whose usage module starts its telemetry interval in `onModuleInit`, and whose demo module starts
// the interval that wipes the demo's images in a method its hook calls. Every instance runs them.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-process-scheduler'];

const project = (usageModule: string) => ({
  'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();
`,
  'src/app.module.ts': `import { Module } from '@nestjs/common';
import { UsageModule } from './usage.module';

@Module({ imports: [UsageModule] })
export class AppModule {}
`,
  'src/usage.service.ts': `import { Injectable } from '@nestjs/common';

@Injectable()
export class UsageService {
  async execute(): Promise<void> {
    await fetch('https://telemetry.example.com/usage', { method: 'POST' });
  }
}
`,
  'src/usage.module.ts': usageModule,
});

const moduleWith = (body: string): string => `import { Module, OnModuleInit } from '@nestjs/common';
import { UsageService } from './usage.service';

@Module({ providers: [UsageService] })
export class UsageModule implements OnModuleInit {
  constructor(private readonly usageService: UsageService) {}
${body}
  private report(): void {
    this.usageService.execute().catch(() => undefined);
  }
}
`;

describe("a Nest module class's start hooks run once per instance", () => {
  it('an interval started in `onModuleInit` of a `@Module` class, typed and untyped', () => {
    const files = project(
      moduleWith(`
  async onModuleInit(): Promise<void> {
    setInterval(() => this.report(), 60_000);
  }
`),
    );
    const expected = [
      '9:5 no-in-process-scheduler: `setInterval` runs in every instance of the web process: `this.report()` posts to an HTTP API (`fetch`) every minute. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'src/usage.module.ts', RULES)).toEqual(expected);
    expect(typed(files, 'src/usage.module.ts', RULES)).toEqual(expected);
  });

  it('an interval started in a method the hook calls, typed and untyped', () => {
    const files = project(
      moduleWith(`
  async onApplicationBootstrap(): Promise<void> {
    this.setup();
  }

  private setup(): void {
    setInterval(() => this.report(), 60_000);
  }
`),
    );
    const expected = [
      '13:5 no-in-process-scheduler: `setInterval` runs in every instance of the web process: `this.report()` posts to an HTTP API (`fetch`) every minute. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ];
    expect(untyped(files, 'src/usage.module.ts', RULES)).toEqual(expected);
    expect(typed(files, 'src/usage.module.ts', RULES)).toEqual(expected);
  });

  it('an interval in a method of the module class that nothing calls stays quiet, typed and untyped', () => {
    const files = project(
      moduleWith(`
  startLater(): void {
    setInterval(() => this.report(), 60_000);
  }
`),
    );
    expect(untyped(files, 'src/usage.module.ts', RULES)).toEqual([]);
    expect(typed(files, 'src/usage.module.ts', RULES)).toEqual([]);
  });
});
