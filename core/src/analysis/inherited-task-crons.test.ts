import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// NestJS services that build their cron jobs at run time: a tasks service wraps the cron library
// (`new CronJob(expression, () => { task(); })`, kept in `SchedulerRegistry` by name), and an abstract
// task base class creates each task's job from its `onApplicationBootstrap`, which every provider
// extending it inherits. Nest runs that hook of each provider when the application starts, so each
// instance arms every job. Round 31 of test/real-world (a media clean-up service's rule and collection
// jobs) and the idiom as public NestJS services write it, in shapes of our own. Each call of the
// wrapper is the schedule, as for any wrapper of a scheduler library.

afterAll(removeAnalysedProjects);

const files = (provider: string): Record<string, string> => ({
  'src/tasks.service.ts': `import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { CronJob } from 'cron';
import { Repository } from 'typeorm';
import { TaskRun } from './task-run.entity';

@Injectable()
export class TasksService {
  constructor(
    private readonly registry: SchedulerRegistry,
    @InjectRepository(TaskRun) private readonly runRepo: Repository<TaskRun>,
  ) {}

  createJob(name: string, expression: string, task: () => void): void {
    const job = new CronJob(expression, () => {
      task();
    });
    this.registry.addCronJob(name, job);
    job.start();
  }

  async markRunning(name: string): Promise<void> {
    await this.runRepo.update({ name }, { running: true, since: new Date() });
  }
}
`,
  'src/task-run.entity.ts': `export class TaskRun {
  name!: string;
  running!: boolean;
  since!: Date | null;
}
`,
  'src/task.base.ts': `import { OnApplicationBootstrap } from '@nestjs/common';
import { TasksService } from './tasks.service';

export abstract class TaskBase implements OnApplicationBootstrap {
  protected name = '';
  protected schedule = '0 3 * * *';

  constructor(protected readonly tasks: TasksService) {}

  onApplicationBootstrap(): void {
    this.tasks.createJob(this.name, this.schedule, this.execute.bind(this));
  }

  async execute(): Promise<void> {
    await this.tasks.markRunning(this.name);
    await this.run();
  }

  protected abstract run(): Promise<void>;
}
`,
  'src/cleanup.task.ts': `import { Injectable } from '@nestjs/common';
import { TaskBase } from './task.base';
import { TasksService } from './tasks.service';

${provider}
export class CleanupTask extends TaskBase {
  protected name = 'cleanup';

  constructor(tasks: TasksService) {
    super(tasks);
  }

  protected async run(): Promise<void> {
    console.log('cleaning up');
  }
}
`,
  'src/health.controller.ts': `import { Controller, Get } from '@nestjs/common';

@Controller('health')
export class HealthController {
  @Get()
  check() {
    return { ok: true };
  }
}
`,
  'src/app.module.ts': `import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { CleanupTask } from './cleanup.task';
import { HealthController } from './health.controller';
import { TasksService } from './tasks.service';

@Module({ imports: [ScheduleModule.forRoot()], controllers: [HealthController], providers: [TasksService, CleanupTask] })
export class AppModule {}
`,
  'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { json } from 'express';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.use(json({ limit: '1mb' }));
  await app.listen(3000);
}
void bootstrap();
`,
});

describe("a cron job a task base class creates from the onApplicationBootstrap its providers inherit", () => {
  it("is reported at the base class's call of the tasks service's wrapper (untyped and typed)", () => {
    const expected = [
      "11:5 no-in-process-scheduler: `this.tasks.createJob` runs in every instance of the web process: `this.tasks.markRunning()` writes to the database (`this.runRepo.update`) on the cron schedule `this.schedule`. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    const provided = files('@Injectable()');
    expect(untyped(provided, 'src/task.base.ts')).toEqual(expected);
    expect(typed(provided, 'src/task.base.ts')).toEqual(expected);
    // The wrapper's own `new CronJob` runs whatever its callers hand it: reported at their calls.
    expect(untyped(provided, 'src/tasks.service.ts')).toEqual([]);
    expect(typed(provided, 'src/tasks.service.ts')).toEqual([]);
  });

  it('stays quiet when no provider extends the base class, so Nest runs no hook of it', () => {
    const unprovided = files('');
    expect(untyped(unprovided, 'src/task.base.ts')).toEqual([]);
    expect(typed(unprovided, 'src/task.base.ts')).toEqual([]);
  });
});
