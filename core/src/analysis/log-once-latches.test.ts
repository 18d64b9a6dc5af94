import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A latch that has this process log an upstream failure once and its recovery once (round 31,
// test/real-world: a media statistics service's API client counts session-fetch errors only to log
// "unable to connect" once and "connection restored" once), written here in a shape of our own.
// Nothing but this process's log reads it. The look-alike: the same count also compared with a
// limit that turns requests away stays a counter.

afterAll(removeAnalysedProjects);

const client = (extra: string) => ({
  'src/upstream.ts': `export class UpstreamClient {
  private failures = 0;

  async sessions(): Promise<unknown[]> {
${extra}    try {
      const response = await fetch('http://upstream.local/sessions');
      if (this.failures > 0) {
        console.log('upstream: connection restored');
        this.failures = 0;
      }
      return (await response.json()) as unknown[];
    } catch {
      if (this.failures == 0) {
        this.failures++;
        console.log('upstream: unable to connect');
      }
      return [];
    }
  }
}

export const upstream = new UpstreamClient();
`,
  'src/server.ts': `import express from 'express';
import { upstream } from './upstream';

const app = express();
app.get('/sessions', async (_req, res) => res.json(await upstream.sessions()));
app.listen(3000);
`,
});

const RULES = ['no-in-memory-counter', 'no-in-process-lock', 'no-in-memory-session', 'no-process-local-cache'] as const;

describe("a latch read only to log a failure once", () => {
  it('stays quiet (untyped and typed)', () => {
    const files = client('');
    expect(untyped(files, 'src/upstream.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'src/upstream.ts', [...RULES])).toEqual([]);
  });

  it('the same count compared with a limit that turns requests away stays a counter', () => {
    const files = client("    if (this.failures >= 3) throw new Error('upstream is down');\n");
    const expected = ['2:11 no-in-memory-counter: `failures` counts in this process; it is changed by GET /sessions (src/server.ts:5). Each instance keeps its own count, so totals and limits are wrong once there is more than one.'];
    expect(untyped(files, 'src/upstream.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'src/upstream.ts', [...RULES])).toEqual(expected);
  });
});
