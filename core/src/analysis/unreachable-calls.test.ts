import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A route switched off by a `throw` at the top of its handler, with the old code left below it
// (`throw new Error('Not enabled'); // eslint-disable-next-line no-unreachable`): no request runs the
// rest, so what it calls is not on a request path.

afterAll(removeAnalysedProjects);

const metrics = `const requestsPerSecond: Record<number, number> = {};
export function countRequest() {
  const t = Math.floor(Date.now() / 1000);
  requestsPerSecond[t] = (requestsPerSecond[t] || 0) + 1;
  if (requestsPerSecond[t] > 100) throw new Error('slow down');
}
`;

const routes = (guard: string) => `import express from 'express';
import { countRequest } from './metrics';

const app = express();

app.post('/api/batch', (req, res) => {
  ${guard}
  countRequest();
  res.json({ ok: true });
});

app.listen(3000);
`;

describe('calls after an unconditional exit of the handler', () => {
  it('quiet: the code left below a throw that disables the route (typed and untyped)', () => {
    const files = { 'metrics.ts': metrics, 'server.ts': routes("throw new Error('Not enabled');") };
    expect(typedFindings(files, 'metrics.ts')).toEqual([]);
    expect(untypedFindings(files, 'metrics.ts')).toEqual([]);
  });

  it('quiet: after a return at the top of the handler', () => {
    const files = { 'metrics.ts': metrics, 'server.ts': routes("return res.status(410).end();") };
    expect(untypedFindings(files, 'metrics.ts')).toEqual([]);
  });

  it('a throw or return inside a condition leaves the rest reachable (reported, typed and untyped)', () => {
    const files = { 'metrics.ts': metrics, 'server.ts': routes("if (!req.body) throw new Error('empty');") };
    const expected = [
      '1:7 no-in-memory-counter: `requestsPerSecond` counts in this process; it is changed by POST /api/batch (server.ts:6). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(typedFindings(files, 'metrics.ts')).toEqual(expected);
    expect(untypedFindings(files, 'metrics.ts')).toEqual(expected);
  });
});
