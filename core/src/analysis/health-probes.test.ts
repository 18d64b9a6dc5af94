import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A health probe of this process's own connection (round 29's precision pass, test/real-world: an
// analytics service's ClickHouse health manager; public services write the same HealthChecker with
// a failure streak, a re-entry flag and a healthy flag around a ping), written here in a shape of
// our own. Its failure streak and its re-entry flag say how this instance's connection answers: no
// user's count and no shared work to guard. The look-alike: the same class around a re-index of the
// search cluster instead of a ping keeps its lock and its counter findings.

afterAll(removeAnalysedProjects);

const probe = (work: string) => ({
  'src/search-client.ts': `export const searchClient = {
  ping: async () => true,
  reindexAll: async () => undefined,
  query: async (_text: string) => [] as string[],
};
`,
  'src/search-health.ts': `import { searchClient } from './search-client';

class SearchHealth {
  private failuresInARow = 0;
  private probing = false;
  healthy = true;

  async probe() {
    if (this.probing) return;
    this.probing = true;
    try {
      await searchClient.${work}();
      this.failuresInARow = 0;
      this.healthy = true;
    } catch (error) {
      this.recordFailure(error);
    } finally {
      this.probing = false;
    }
  }

  private recordFailure(error: unknown) {
    this.failuresInARow++;
    if (this.failuresInARow >= 3) {
      this.healthy = false;
      console.warn('search is down', error);
    }
  }
}

export const searchHealth = new SearchHealth();
`,
  'src/server.ts': `import express from 'express';
import { searchClient } from './search-client';
import { searchHealth } from './search-health';

const app = express();
app.get('/search', async (req, res) => {
  if (!searchHealth.healthy) await searchHealth.probe();
  res.json(searchHealth.healthy ? await searchClient.query(String(req.query.q)) : []);
});
app.listen(3000);
`,
});

describe("a health probe of this process's own connection", () => {
  it('its failure streak and re-entry flag stay quiet (untyped and typed)', () => {
    const files = probe('ping');
    const result = untyped(files, 'src/search-health.ts');
    expect(result).toEqual(typed(files, 'src/search-health.ts'));
    expect(result).toEqual([]);
  });

  it('the same class around a re-index keeps its lock and counter findings', () => {
    const files = probe('reindexAll');
    const result = untyped(files, 'src/search-health.ts');
    expect(result).toEqual(typed(files, 'src/search-health.ts'));
    expect(result).toEqual([
      '4:11 no-in-memory-counter: `failuresInARow` counts in this process; it is changed by GET /search (src/server.ts:6). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
      '5:11 no-in-process-lock: `probing` guards work only within this process; it is taken by GET /search (src/server.ts:6). A request on another instance does not see it and runs the same work at the same time.',
    ]);
  });
});
