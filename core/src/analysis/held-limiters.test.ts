import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A limiter a library builds, kept in a field of a class of the service's own (round 32, test/real-world:
// a file server's bandwidth groups keep the limiter package's token bucket in a field, rebuilt by a method
// that returns it; public services do the same with rate-limiter-flexible, `this.userEvents =
// this.createLimiter(points)`), written here in a shape of our own. The counter rule reports the limiter
// where it is built; the field holds that limiter, no one's data, so no second finding under another rule.
// The look-alike: a field of the same class a request gives a record of its own stays a session.

afterAll(removeAnalysedProjects);

const throttle = (resize: string) => ({
  'src/throttle.ts': `import { TokenBucket } from 'limiter';

export class ThrottleGroup {
  private bucket: TokenBucket;

  constructor(kbps: number) {
    this.bucket = this.resize(kbps);
  }

  resize(kbps: number): TokenBucket {
${resize}  }

  consume(bytes: number): Promise<number> {
    return this.bucket.removeTokens(bytes);
  }
}

export const mainGroup = new ThrottleGroup(1024);
`,
  'src/server.ts': `import express from 'express';
import { mainGroup } from './throttle';

const app = express();
app.post('/limits', (req, res) => {
  mainGroup.resize(Number(req.body.kbps));
  res.sendStatus(204);
});
app.get('/files/:name', async (req, res) => {
  await mainGroup.consume(1024);
  res.sendFile(req.params.name, { root: '/srv/files' });
});
app.listen(3000);
`,
});

const BUCKET = "    return this.bucket = new TokenBucket({ bucketSize: kbps * 1000, tokensPerInterval: kbps * 1000, interval: 'second' });\n";
const RULES = ['no-in-memory-session', 'no-in-memory-counter', 'no-in-process-lock', 'no-process-local-cache'] as const;
const LIMITER = '19:26 no-in-memory-counter: limiter counts requests in this process (a TokenBucket in process memory). Behind a load balancer every instance allows the full limit, so clients get N times the limit.';

describe('a library limiter kept in a field, rebuilt by a method that returns it', () => {
  it('is reported once, where it is built, by the counter rule (untyped and typed)', () => {
    const files = throttle(BUCKET);
    expect(untyped(files, 'src/throttle.ts', [...RULES])).toEqual([LIMITER]);
    expect(typed(files, 'src/throttle.ts', [...RULES])).toEqual([LIMITER]);
  });

  it('a field a request gives a record of its own stays a session', () => {
    const files = throttle('    this.bucket = { owner: String(kbps) } as unknown as TokenBucket;\n    return this.bucket;\n');
    const session = '4:11 no-in-memory-session: `bucket` holds application data in this process; it is written by POST /limits (src/server.ts:5). A second instance will not see it.';
    expect(untyped(files, 'src/throttle.ts', [...RULES])).toEqual([session]);
    expect(typed(files, 'src/throttle.ts', [...RULES])).toEqual([session]);
  });
});
