import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A NestJS provider the service makes afresh for each run (round 31, test/real-world: a media
// clean-up service whose rule comparator is an `@Injectable()` listed in its module, yet a factory
// hands every run its own with `new`), written here in a shape of our own. The fields a run writes
// belong to that run's object, not to one object per process. The look-alike: the same class
// injected into the controller's constructor keeps its finding.

afterAll(removeAnalysedProjects);

const scorer = (variant: 'factory' | 'injected') => ({
  'src/scorer.ts': `import { Injectable } from '@nestjs/common';

@Injectable()
export class ScoreService {
  private items: string[] = [];

  add(item: string): number {
    this.items.push(item);
    return this.items.length;
  }
}

@Injectable()
export class ScoreServiceFactory {
  create(): ScoreService {
    return new ScoreService();
  }
}
`,
  'src/scores.controller.ts': `import { Body, Controller, Post } from '@nestjs/common';
import { ScoreService, ScoreServiceFactory } from './scorer';

@Controller('scores')
export class ScoresController {
  constructor(${variant === 'injected' ? 'private readonly scorer: ScoreService' : 'private readonly factory: ScoreServiceFactory'}) {}

  @Post()
  score(@Body() body: { items: string[] }): number {
    const scorer = ${variant === 'injected' ? 'this.scorer' : 'this.factory.create()'};
    return body.items.reduce((total, item) => total + scorer.add(item), 0);
  }
}
`,
  'src/scores.module.ts': `import { Module } from '@nestjs/common';
import { ScoresController } from './scores.controller';
import { ScoreService, ScoreServiceFactory } from './scorer';

@Module({
  controllers: [ScoresController],
  providers: [ScoreService, ScoreServiceFactory],
})
export class ScoresModule {}
`,
});

const RULES = ['no-in-memory-session', 'no-process-local-cache', 'no-in-memory-counter'] as const;
const FINDING = '5:11 no-in-memory-session: `items` holds application data in this process; it is written by POST /scores (ScoresController.score, src/scores.controller.ts:8). A second instance will not see it.';

describe('a provider made afresh per call', () => {
  it('a factory that hands each call its own object: the fields are no process state (untyped and typed)', () => {
    const files = scorer('factory');
    expect(untyped(files, 'src/scorer.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'src/scorer.ts', [...RULES])).toEqual([]);
  });

  it('the same class injected into a controller is one object per process', () => {
    const files = scorer('injected');
    expect(untyped(files, 'src/scorer.ts', [...RULES])).toEqual([FINDING]);
    expect(typed(files, 'src/scorer.ts', [...RULES])).toEqual([FINDING]);
  });
});
