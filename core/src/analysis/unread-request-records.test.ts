import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A cron panel's telemetry (held-out round 36): a middleware pushes each request's timing into a
// module list it trims to the last thousand, and a metrics service keeps samples in a private field
// it trims every minute. What sums them up (`getStats`, `summary()`) is exported or public, and
// nothing calls it. No answer differs between instances, so nothing is reported. Stay reported: the
// same list once a route answers with its summary, and the service's samples once a route calls the
// method that reads them.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache'] as const;

const monitoring = `import type { Request, Response, NextFunction } from 'express';

const timings: { path: string; ms: number }[] = [];

export function monitor(req: Request, res: Response, next: NextFunction) {
  const start = Date.now();
  res.on('finish', () => {
    timings.push({ path: req.path, ms: Date.now() - start });
    if (timings.length > 1000) {
      timings.shift();
    }
  });
  next();
}

export function getStats() {
  const total = timings.reduce((sum, t) => sum + t.ms, 0);
  return { count: timings.length, average: total / timings.length };
}
`;

const metrics = `class Metrics {
  private samples: { name: string; value: number; at: number }[] = [];

  constructor() {
    setInterval(() => {
      const hourAgo = Date.now() - 3600000;
      this.samples = this.samples.filter((s) => s.at > hourAgo);
    }, 60000);
  }

  record(name: string, value: number) {
    this.samples.push({ name, value, at: Date.now() });
  }

  private select(name?: string) {
    return name ? this.samples.filter((s) => s.name === name) : this.samples;
  }

  summary(name?: string) {
    const report = { count: this.select(name).length };
    console.log('metrics', report);
    return report;
  }
}

export const metrics = new Metrics();
`;

const server = (extra: string) => `import express from 'express';
import { monitor${extra.includes('getStats') ? ', getStats' : ''} } from './monitoring';
import { metrics } from './metrics';

const app = express();
app.use(monitor);
app.post('/jobs', (req, res) => {
  metrics.record('job', Number(req.body.size));
  res.sendStatus(202);
});
${extra}
app.listen(3000);
`;

const files = (extra = '') => ({ 'monitoring.ts': monitoring, 'metrics.ts': metrics, 'server.ts': server(extra) });

describe('request records nothing the program runs reads', () => {
  it('a trimmed list of timings and a private list of samples, summed up only by functions no one calls, are quiet (typed and untyped)', () => {
    for (const file of ['monitoring.ts', 'metrics.ts']) {
      expect(typedFindings(files(), file, [...RULES])).toEqual([]);
      expect(untypedFindings(files(), file, [...RULES])).toEqual([]);
    }
  });

  it('once a route answers with the summary, the list is reported', () => {
    const extra = "app.get('/stats', (req, res) => res.json(getStats()));";
    const finding = '3:7 no-in-memory-session: `timings` holds application data in this process; it is written by middleware for all routes (server.ts:6). A second instance will not see it.';
    expect(typedFindings(files(extra), 'monitoring.ts', [...RULES])).toEqual([finding]);
    expect(untypedFindings(files(extra), 'monitoring.ts', [...RULES])).toEqual([finding]);
  });

  it('once a route calls the method that reads them, the samples are reported', () => {
    const extra = "app.get('/metrics/:name', (req, res) => res.json(metrics.summary(req.params.name)));";
    const finding = '2:11 no-in-memory-session: `samples` holds application data in this process; it is written by POST /jobs (server.ts:7). A second instance will not see it.';
    expect(typedFindings(files(extra), 'metrics.ts', [...RULES])).toEqual([finding]);
    expect(untypedFindings(files(extra), 'metrics.ts', [...RULES])).toEqual([finding]);
  });

  it('a method a framework calls by its decorator reads them: reported', () => {
    const nest = {
      'samples.controller.ts': `import { Body, Controller, Get, Post } from '@nestjs/common';

@Controller('samples')
export class SamplesController {
  private samples: number[] = [];

  @Post()
  record(@Body() body: { value: number }) {
    this.samples.push(body.value);
    if (this.samples.length > 1000) this.samples.shift();
  }

  @Get('size')
  count() {
    return this.samples.length;
  }
}
`,
    };
    const finding = '5:11 no-in-memory-session: `samples` holds application data in this process; it is written by POST /samples (SamplesController.record, samples.controller.ts:7). A second instance will not see it.';
    expect(typedFindings(nest, 'samples.controller.ts', [...RULES])).toEqual([finding]);
    expect(untypedFindings(nest, 'samples.controller.ts', [...RULES])).toEqual([finding]);
  });
});
