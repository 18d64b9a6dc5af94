import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';
import { createProgram } from '../testing/program';

// Ids minted by a number in the process (`{ id: nextId++ }`) and kept in state every instance
// should share: two instances mint the same id. Ids that stay in the process (a connection's
// number, a log line's) are no one's business but this process's.

const STORE_JS = `const express = require('express');
const app = express();
app.use(express.json());

const todos = [];
let nextId = 1;

app.post('/todos', (req, res) => {
  const todo = { id: nextId++, title: req.body.title };
  todos.push(todo);
  res.status(201).json(todo);
});
app.get('/todos', (req, res) => res.json(todos));

// look-alike: a connection's number, kept with its timer
const timers = new Map();
let connectionSeq = 0;
app.get('/events', (req, res) => {
  const id = connectionSeq++;
  timers.set(id, setInterval(() => res.write('ping\\n'), 1000));
  req.on('close', () => clearInterval(timers.get(id)));
});
app.listen(3000);
`;

function findings(code: string, typed: boolean): string[] {
  const fileName = `${ROOT}/server.js`;
  const program = typed ? createProgram({ [fileName]: code }) : undefined;
  const sourceFile = program ? program.getSourceFile(fileName)! : ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  return analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: ['no-in-memory-counter', 'no-in-memory-session'] }).map((finding) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
    return `${finding.ruleId} ${line + 1}:${character + 1} ${finding.message}`;
  });
}

describe('ids minted in the process and kept in shared state', () => {
  const expected = [
    'no-in-memory-session 5:7 `todos` holds application data in this process; it is written by POST /todos (server.js:8). A second instance will not see it.',
    'no-in-memory-counter 6:5 `nextId` mints ids in this process, and they are kept in `todos`, which every instance should share; it is changed by POST /todos (server.js:8). Each instance counts from the same start, so two of them hand out the same id.',
  ];
  it('a sequence whose ids go into a list requests write is a counter; one kept with a timer or only logged is not (untyped)', () => {
    expect(findings(STORE_JS, false)).toEqual(expected);
  });
  it('the same, typed', () => {
    expect(findings(STORE_JS, true)).toEqual(expected);
  });
  it('still reported once the list is in Redis (the adapter a fix made keeps the ids)', () => {
    const moved = STORE_JS.replace("const todos = [];", "const { createList } = require('./src/scaling/list');\nconst todos = createList('todos');").replace('  todos.push(todo);', '  await todos.push(todo);').replace("app.post('/todos', (req, res)", "app.post('/todos', async (req, res)");
    const files = { [`${ROOT}/server.js`]: moved, [`${ROOT}/src/scaling/list.js`]: 'exports.createList = (name) => ({ name });\n' };
    expect(countFindings(files, 'no-in-memory-counter')).toBe(1);
  });
  it('still reported once a singleton controller\'s Map field is in Redis (`this.products = createSessionStore(…)`): the fix run then moves the sequence too', () => {
    const controller = `import type { Request, Response } from 'express';
import { createSessionStore } from '../scaling/session-store';

interface Product { id: number; name: string }

export class ProductController {
  private products = createSessionStore<Product, number>('products');
  private nextId = 1;

  create = async (req: Request, res: Response) => {
    const product: Product = { id: this.nextId++, name: String(req.body.name) };
    await this.products.set(product.id, product);
    res.status(201).json(product);
  };
}
`;
    const files = {
      [`${ROOT}/src/controllers/products.ts`]: controller,
      [`${ROOT}/src/scaling/session-store.ts`]: 'export function createSessionStore<T, K>(name: string) { return { name, async set(key: K, value: T) {} }; }\n',
      [`${ROOT}/src/routes.ts`]: `import { Router } from 'express';\nimport { ProductController } from './controllers/products';\nconst router = Router();\nconst controller = new ProductController();\nrouter.post('/products', controller.create);\nexport default router;\n`,
    };
    expect(countFindings(files, 'no-in-memory-counter')).toBe(1);
  });
});

describe('planFixes: a sequence that mints ids moves to a Redis counter and keeps its numbers', () => {
  const fixedLines = (code: string): string[] => {
    const files = { [`${ROOT}/server.js`]: code };
    const plan = movePlan(files, 'no-in-memory-counter', `${ROOT}/server.js`);
    return applyPlan(files, plan)[`${ROOT}/server.js`].split('\n').filter((line) => /nextId|createCounter/.test(line));
  };
  it('starting at 1, `nextId++` is the counter\'s increment (1, 2, 3 …)', () => {
    expect(fixedLines(STORE_JS)).toEqual([
      "const { createCounter } = require('./src/scaling/counter');",
      "const nextId = createCounter('nextId');",
      '  const todo = { id: await nextId.increment(), title: req.body.title };',
    ]);
  });
  it('starting elsewhere, `n++` whose value is used is the number before the increment, `++n` the one after, a read adds the start back', () => {
    const code = STORE_JS.replace('let nextId = 1;', 'let nextId = 100;').replace(
      "app.get('/todos', (req, res) => res.json(todos));",
      "app.get('/todos', (req, res) => res.json(todos));\napp.post('/todos/reserve', (req, res) => res.json({ first: nextId, last: (nextId += 9) }));\napp.post('/todos/skip', (req, res) => res.json({ skipped: ++nextId }));",
    );
    expect(fixedLines(code)).toEqual([
      "const { createCounter } = require('./src/scaling/counter');",
      "const nextId = createCounter('nextId');",
      '  const todo = { id: ((await nextId.increment()) + 99), title: req.body.title };',
      "app.post('/todos/reserve', async (req, res) => res.json({ first: ((await nextId.get()) + 100), last: (((await nextId.increment(9)) + 100)) }));",
      "app.post('/todos/skip', async (req, res) => res.json({ skipped: ((await nextId.increment()) + 100) }));",
    ]);
    expect(fixedLines(STORE_JS.replace('let nextId = 1;', 'let nextId = 0;'))[2]).toBe('  const todo = { id: ((await nextId.increment()) - 1), title: req.body.title };');
  });

  it('a count that starts elsewhere and is reset to its start keeps its numbers: the reset stores the difference', () => {
    const code = `const express = require('express');
const app = express();
let visits = 10;
app.get('/', (req, res) => {
  visits++;
  res.json({ visits });
});
app.post('/reset', (req, res) => {
  visits = 10;
  res.end();
});
`;
    const files = { [`${ROOT}/server.js`]: code };
    expect(applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/server.js`))[`${ROOT}/server.js`]).toBe(`const express = require('express');
const { createCounter } = require('./src/scaling/counter');
const app = express();
const visits = createCounter('visits');
app.get('/', async (req, res) => {
  const visitsNow = await visits.increment();
  res.json({ visits: (visitsNow + 10) });
});
app.post('/reset', async (req, res) => {
  await visits.set(0);
  res.end();
});
`);
  });
});

describe('a count read on the left of an operator that assigns nothing', () => {
  // The day's ticket number on the board by the door: `nextTicket - 1` tickets handed out so far.
  const TALLY_TS = `import express from 'express';
let nextTicket = 1;
const app = express();
app.post('/tickets', (req, res) => {
  res.status(201).json({ ticket: nextTicket++ });
});
app.get('/tally', (req, res) => {
  res.json({ ticketsToday: nextTicket - 1, full: nextTicket > 40 });
});
app.post('/reset', (req, res) => {
  nextTicket = 1;
  res.sendStatus(204);
});
export default app;
`;

  it('reads the count there (`nextTicket - 1`, `nextTicket > 40`), the start added back as elsewhere', () => {
    const files = { [`${ROOT}/src/app.ts`]: TALLY_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`];
    expect(fixed).toContain('  res.status(201).json({ ticket: await nextTicket.increment() });');
    expect(fixed).toContain('  res.json({ ticketsToday: ((await nextTicket.get()) + 1) - 1, full: ((await nextTicket.get()) + 1) > 40 });');
    expect(fixed).toContain('  await nextTicket.set(0);');
  });
});

describe('a Fastify hook that calls back `done` stays synchronous', () => {
  // The count is read on each response through a function the hook calls; an async hook that takes `done` is refused by Fastify.
  const METRICS_TS = `import Fastify from 'fastify';
let states = 0;
function record(route: string): void {
  if (states >= 100) return;
  states++;
  void route;
}
const app = Fastify();
app.addHook('onResponse', (request, reply, done) => {
  record(request.url);
  done();
});
app.get('/health', async () => ({ ok: true }));
export default app;
`;

  it('the fix that would make it async is refused, naming the hook', () => {
    const files = { [`${ROOT}/src/app.ts`]: METRICS_TS };
    expect(planFirst(files, 'no-in-memory-counter', `${ROOT}/src/app.ts`).refused?.reason).toBe(
      'the function is a Fastify `onResponse` hook that calls back `done` (src/app.ts:9), and Fastify refuses an async hook that takes `done`',
    );
  });

  it('without `done` the hook becomes async, as before', () => {
    const files = { [`${ROOT}/src/app.ts`]: METRICS_TS.replace('(request, reply, done) => {\n  record(request.url);\n  done();', '(request, reply) => {\n  record(request.url);') };
    expect(applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`]).toContain("app.addHook('onResponse', async (request, reply) => {\n  await record(request.url);");
  });
});
