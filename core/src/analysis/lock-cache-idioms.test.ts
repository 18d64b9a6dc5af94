import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Idiom classes behind misses of no-process-local-cache read in the corpus (round 18 of
// test/real-world), written here in other shapes: each hazard, and the look-alikes that stay quiet.

afterAll(removeAnalysedProjects);

describe('a field the constructor’s parameter declares, replaced by a request', () => {
  const service = (update: string) => `import { Inject, Injectable, OnModuleInit } from '@nestjs/common';

interface Flag { name: string; value: string }
declare const db: { flag: { findMany(): Promise<Flag[]>; update(args: object): Promise<Flag> } };

@Injectable()
export class FlagService implements OnModuleInit {
  constructor(
    @Inject('FLAGS') private flags: Flag[],
    @Inject('DEFAULTS') private readonly defaults: Flag[],
  ) {}

  async onModuleInit() {
    this.flags = await db.flag.findMany();
  }

  get(name: string) {
    return this.flags.find((flag) => flag.name === name)?.value ?? this.defaults.find((flag) => flag.name === name)?.value;
  }

  async set(name: string, value: string) {
    const saved = await db.flag.update({ where: { name }, data: { value } });
${update}
    return saved;
  }
}
`;
  const controller = `import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { FlagService } from './flag.service';

@Controller('flags')
export class FlagController {
  constructor(private readonly flagService: FlagService) {}

  @Get(':name') get(@Param('name') name: string) { return this.flagService.get(name); }
  @Patch(':name') set(@Param('name') name: string, @Body() body: { value: string }) { return this.flagService.set(name, body.value); }
}
`;

  it('`constructor(@Inject(…) private flags: Flag[])` reloaded by PATCH: each instance keeps its own copy (untyped and typed)', () => {
    const files = { 'flag.service.ts': service('    this.flags = await db.flag.findMany();'), 'flag.controller.ts': controller };
    const expected = [
      '9:30 no-process-local-cache: `flags` caches shared data in this process; it is written by PATCH /flags/:name (FlagController.set, flag.controller.ts:9). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'flag.service.ts', ['no-process-local-cache', 'no-in-memory-session'])).toEqual(expected);
    expect(typed(files, 'flag.service.ts', ['no-process-local-cache', 'no-in-memory-session'])).toEqual(expected);
  });

  it('quiet: a parameter field loaded only at start-up, and an injected service the request only calls (untyped and typed)', () => {
    const files = { 'flag.service.ts': service('    void this.get(name);'), 'flag.controller.ts': controller };
    expect(untyped(files, 'flag.service.ts')).toEqual([]);
    expect(typed(files, 'flag.service.ts')).toEqual([]);
    expect(untyped(files, 'flag.controller.ts')).toEqual([]);
    expect(typed(files, 'flag.controller.ts')).toEqual([]);
  });
});
