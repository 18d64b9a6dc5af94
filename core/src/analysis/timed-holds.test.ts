import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A hold per key that refuses a second holder and is let go by its holder or by a timer armed as it is
// taken (round 32, test/real-world: a file server's WebDAV LOCK tokens, refused with 423 while a path is
// held, released by UNLOCK or when their timeout runs out; public services keep reservations the same
// way), written here in a shape of our own. It excludes, so it is a lock, not a cache because its entries
// expire. The look-alikes: the same map answering from its entry while present (an expiring cache) stays
// a cache, and a refusal with no timer (names taken until their owner leaves) is not read as a lock.

afterAll(removeAnalysedProjects);

const locks = (present: string, timer: string) => ({
  'src/locks.ts': `import express from 'express';
import { randomUUID } from 'node:crypto';

const locks = new Map<string, { token: string; timeout?: NodeJS.Timeout }>();

function release(path: string): boolean {
  const lock = locks.get(path);
  if (!lock) return false;
  clearTimeout(lock.timeout);
  locks.delete(path);
  return true;
}

const app = express();
app.post('/lock/:path', (req, res) => {
  const path = req.params.path;
${present}  const token = randomUUID();
${timer}  locks.set(path, { token, timeout });
  res.json({ token });
});
app.post('/unlock/:path', (req, res) => {
  if (locks.get(req.params.path)?.token !== req.body.token) return res.sendStatus(400);
  release(req.params.path);
  res.sendStatus(204);
});
app.listen(3000);
`,
});

const REFUSED = '  if (locks.has(path)) return res.sendStatus(423);\n';
const TIMER = '  const timeout = setTimeout(() => release(path), 60_000);\n';
const RULES = ['no-in-memory-session', 'no-in-process-lock', 'no-process-local-cache'] as const;

describe('a hold per key refused while taken and let go by a timer of its own', () => {
  it('is a lock (untyped and typed)', () => {
    const files = locks(REFUSED, TIMER);
    const lock = '4:7 no-in-process-lock: `locks` guards work only within this process; it is taken by POST /lock/:path (src/locks.ts:15) and 1 other route. A request on another instance does not see it and runs the same work at the same time.';
    expect(untyped(files, 'src/locks.ts', [...RULES])).toEqual([lock]);
    expect(typed(files, 'src/locks.ts', [...RULES])).toEqual([lock]);
  });

  it('answered from while present, the same map is not read as a lock', () => {
    const files = locks('  if (locks.has(path)) return res.json(locks.get(path));\n', TIMER);
    expect(untyped(files, 'src/locks.ts', [...RULES]).filter((finding) => finding.includes('no-in-process-lock'))).toEqual([]);
    expect(typed(files, 'src/locks.ts', [...RULES]).filter((finding) => finding.includes('no-in-process-lock'))).toEqual([]);
  });

  it('refused with no timer of its own, the same map is not read as a lock by this reading', () => {
    const files = locks(REFUSED, '  const timeout = undefined;\n');
    expect(untyped(files, 'src/locks.ts', [...RULES]).filter((finding) => finding.includes('no-in-process-lock'))).toEqual([]);
    expect(typed(files, 'src/locks.ts', [...RULES]).filter((finding) => finding.includes('no-in-process-lock'))).toEqual([]);
  });
});
