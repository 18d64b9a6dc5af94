import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 32 of test/real-world: a Next.js app keeps its map of running answers on the global object so a
// development reload finds it again (`(global as any)._x || new Map()`, `g.x ??= new Map()`), and a
// class keeps it in a static field (`private static runs = runs`) whose `create` stores each new run
// under the id the run drew for itself. The map is still this process's map of sessions, which the
// reconnect route looks up. Look-alike: a global-kept map only start-up fills stays quiet.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-session'] as const;
const session = (line: number, column: number, name: string, route: string) =>
  `${line}:${column} no-in-memory-session: \`${name}\` holds per-user state in this process; it is written by ${route}. A second instance will not see it.`;
const data = (line: number, column: number, name: string, route: string) =>
  `${line}:${column} no-in-memory-session: \`${name}\` holds application data in this process; it is written by ${route}. A second instance will not see it.`;

const files = {
  'lib/runs.ts': `import { EventEmitter } from 'events';

const runs =
  (global as any)._answerRuns || new Map<string, Run>();
if (process.env.NODE_ENV !== 'production') {
  (global as any)._answerRuns = runs;
}

class Run {
  private static runs: Map<string, Run> = runs;
  readonly id: string;
  private emitter = new EventEmitter();

  constructor(id?: string) {
    this.id = id ?? crypto.randomUUID();
  }

  static get(id: string): Run | undefined {
    return this.runs.get(id);
  }

  static create(): Run {
    const run = new Run();
    this.runs.set(run.id, run);
    return run;
  }
}

export default Run;
`,
  'lib/started.ts': `const g = globalThis as unknown as { started?: Map<string, number> };
export const started = (g.started ??= new Map<string, number>());
`,
  'lib/models.ts': `const models: Map<string, string> = (global as any)._models || new Map();
(global as any)._models = models;
for (const name of (process.env.MODELS ?? '').split(',')) models.set(name, name.toUpperCase());
export const modelLabel = (name: string) => models.get(name);
`,
  'app/api/answers/route.ts': `import Run from '../../../lib/runs';
import { started } from '../../../lib/started';
import { modelLabel } from '../../../lib/models';

export async function POST(req: Request) {
  const { model, query } = await req.json();
  const run = Run.create();
  started.set(query, Date.now());
  return Response.json({ id: run.id, model: modelLabel(model) });
}
`,
  'app/api/reconnect/[id]/route.ts': `import Run from '../../../../lib/runs';

export async function GET(req: Request, { params }: { params: { id: string } }) {
  const run = Run.get(params.id);
  if (!run) return new Response('Session not found', { status: 404 });
  return Response.json({ id: run.id });
}
`,
  'package.json': '{ "name": "app", "dependencies": { "next": "14.0.0" } }',
};

const ROUTE = 'POST /api/answers (app/api/answers/route.ts:5)';

describe('state kept on the global object across reloads', () => {
  it('a map read from a global slot or made, kept in a static field, filled under the id each run draws: a session (untyped)', () => {
    expect(untyped(files, 'lib/runs.ts', [...RULES])).toEqual([session(3, 7, 'runs', ROUTE)]);
  });

  it('the same, typed', () => {
    expect(typed(files, 'lib/runs.ts', [...RULES])).toEqual([session(3, 7, 'runs', ROUTE)]);
  });

  it('a map filled in place on a local of globalThis (`g.x ??= new Map()`) is the module state it is (untyped and typed)', () => {
    expect(untyped(files, 'lib/started.ts', [...RULES])).toEqual([data(2, 14, 'started', ROUTE)]);
    expect(typed(files, 'lib/started.ts', [...RULES])).toEqual([data(2, 14, 'started', ROUTE)]);
  });

  it('look-alike, quiet: a global-kept map only start-up fills (untyped and typed)', () => {
    expect(untyped(files, 'lib/models.ts', [...RULES])).toEqual([]);
    expect(typed(files, 'lib/models.ts', [...RULES])).toEqual([]);
  });
});
