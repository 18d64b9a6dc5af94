import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A translation server (held-out round 36): each request arms a one-shot `gc()` that raises a tick and,
// on every tenth request, drops the sessions waiting for a selection past their time, then resets the
// tick. The tick decides when this process sweeps its own memory; nothing else reads it. Stay reported:
// the same tick guarding a save, and a count of attempts compared with a limit as it is raised.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-counter'] as const;

const app = (guarded: string, handler = 'res.json({ session: id });') => `import express from 'express';

const waiting: Record<string, { started: number }> = {};
let sinceSweep = 0;

function sweep() {
  if (++sinceSweep == 10) {
    ${guarded}
    sinceSweep = 0;
  }
}

const app = express();
app.post('/web', (req, res) => {
  setTimeout(() => sweep());
  const id = String(req.body.session);
  waiting[id] = { started: Date.now() };
  ${handler}
});
app.listen(3000);
`;

const dropExpired = `for (const id in waiting) {
      if (Date.now() >= waiting[id].started + 60000) delete waiting[id];
    }`;

const counter = (line: number, column: number, name: string, route = 'POST /web (app.ts:14)') =>
  `${line}:${column} no-in-memory-counter: \`${name}\` counts in this process; it is changed by ${route}. Each instance keeps its own count, so totals and limits are wrong once there is more than one.`;

describe("a tick that decides when this process sweeps its own memory", () => {
  it('is quiet when what it guards only drops entries (typed and untyped)', () => {
    expect(typedFindings({ 'app.ts': app(dropExpired) }, 'app.ts', [...RULES])).toEqual([]);
    expect(untypedFindings({ 'app.ts': app(dropExpired) }, 'app.ts', [...RULES])).toEqual([]);
  });

  it('guarding a save, it is a count that matters: reported', () => {
    const save = "require('fs').writeFileSync('waiting.json', JSON.stringify(waiting));";
    expect(typedFindings({ 'app.ts': app(save) }, 'app.ts', [...RULES])).toEqual([counter(4, 5, 'sinceSweep')]);
    expect(untypedFindings({ 'app.ts': app(save) }, 'app.ts', [...RULES])).toEqual([counter(4, 5, 'sinceSweep')]);
  });

  it('a count of attempts compared with a limit as it is raised stays a counter', () => {
    const files = {
      'app.ts': `import express from 'express';

let attempts = 0;

const app = express();
app.post('/login', (req, res) => {
  if (++attempts > 5) return res.sendStatus(429);
  res.sendStatus(204);
});
app.listen(3000);
`,
    };
    const finding = counter(3, 5, 'attempts', 'POST /login (app.ts:6)');
    expect(typedFindings(files, 'app.ts', [...RULES])).toEqual([finding]);
    expect(untypedFindings(files, 'app.ts', [...RULES])).toEqual([finding]);
  });
});
