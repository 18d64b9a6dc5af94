import { describe, expect, it } from 'vitest';
import type { FixPlan, TextEdit } from '../types';
import { applyEdits, checkPlan } from './invariants';

const ROOT = '/proj';
const APP = `${ROOT}/src/app.js`;

const CALLBACK = `const fs = require('fs');
app.post('/notes/:id', (req, res, next) => {
  fs.writeFile(notePath(req.params.id), req.body.text, (err) => {
    if (err) return next(err);
    res.send('saved');
  });
});
`;

function check(files: Record<string, string>, plan: Pick<FixPlan, 'edits' | 'removedStatements' | 'replacedStatements'>) {
  return checkPlan(plan, { textOf: (fileName) => files[fileName], displayPath: (fileName) => fileName.slice(ROOT.length + 1) });
}

/** The edit that replaces the first occurrence of `from` (to the end of `through`) with `to`. */
function replace(text: string, from: string, through: string, to: string): TextEdit {
  const start = text.indexOf(from);
  const end = text.indexOf(through, start) + through.length;
  return { fileName: APP, start, end, newText: to };
}

function insert(text: string, before: string, newText: string): TextEdit {
  const at = text.indexOf(before);
  return { fileName: APP, start: at, end: at, newText };
}

describe('checkPlan: the fix invariants', () => {
  it('refuses a plan that drops a callback continuation, naming the statement', () => {
    const edits = [insert(CALLBACK, '(req, res, next)', 'async '), replace(CALLBACK, 'fs.writeFile(', '  });', 'await objectStore.putFile(notePath(req.params.id), req.body.text);')];
    expect(applyEdits(CALLBACK, edits)).toBe(`const fs = require('fs');
app.post('/notes/:id', async (req, res, next) => {
  await objectStore.putFile(notePath(req.params.id), req.body.text);
});
`);
    expect(check({ [APP]: CALLBACK }, { edits })).toEqual({ refused: 'it drops `return next(err)` (src/app.js:4), which passes the error on' });
  });

  it('refuses a plan that drops the response of an expression callback', () => {
    const text = `app.post('/notes/:id', (req, res) => {\n  fs.writeFile(notePath(req.params.id), req.body.text, () => res.send('saved'));\n});\n`;
    const edits = [replace(text, 'fs.writeFile(', "res.send('saved'))", 'objectStore.putFile(notePath(req.params.id), req.body.text)')];
    expect(check({ [APP]: text }, { edits })).toEqual({ refused: "it drops `res.send('saved')` (src/app.js:2), which sends the response" });
  });

  it('passes a plan that keeps the continuation after the awaited call and the error in a catch', () => {
    const edits = [
      insert(CALLBACK, '(req, res, next)', 'async '),
      replace(CALLBACK, 'fs.writeFile(', '  });', "try {\n    await objectStore.putFile(notePath(req.params.id), req.body.text);\n  } catch (err) {\n    return next(err);\n  }\n  res.send('saved');"),
    ];
    expect(applyEdits(CALLBACK, edits)).toBe(`const fs = require('fs');
app.post('/notes/:id', async (req, res, next) => {
  try {
    await objectStore.putFile(notePath(req.params.id), req.body.text);
  } catch (err) {
    return next(err);
  }
  res.send('saved');
});
`);
    expect(check({ [APP]: CALLBACK }, { edits })).toEqual({ notes: [] });
  });

  it('passes a plan that moves the continuation into a .then', () => {
    const edits = [replace(CALLBACK, 'fs.writeFile(', '  });', "objectStore.putFile(notePath(req.params.id), req.body.text).then(() => {\n    res.send('saved');\n  }, (err) => {\n    if (err) return next(err);\n  });")];
    expect(check({ [APP]: CALLBACK }, { edits })).toEqual({ notes: [] });
  });

  it('counts a response handed to another function as sent', () => {
    const text = `app.get('/files/:id', (req, res) => {\n  res.sendFile(path.resolve('uploads', req.params.id));\n});\n`;
    const edits = [replace(text, 'res.sendFile(', 'id))', "objectStore.sendFile(res, path.resolve('uploads', req.params.id))")];
    expect(check({ [APP]: text }, { edits })).toEqual({ notes: [] });
  });

  const SWEEP = `const sessions = new Map();\nsetInterval(() => {\n  for (const [key, session] of sessions) if (session.expires < Date.now()) sessions.delete(key);\n}, 60_000);\n`;
  const dropSweep = (): TextEdit => ({ fileName: APP, start: SWEEP.indexOf('setInterval'), end: SWEEP.length, newText: '' });

  it('refuses an undeclared removal', () => {
    expect(check({ [APP]: SWEEP }, { edits: [dropSweep()] })).toEqual({ refused: 'it drops `sessions.delete(key)` (src/app.js:3)' });
  });

  it('passes a declared removal and prints its reason', () => {
    const removed = { fileName: APP, start: SWEEP.indexOf('setInterval'), end: SWEEP.length - 1, reason: 'entries expire in Redis (TTL)' };
    expect(check({ [APP]: SWEEP }, { edits: [dropSweep()], removedStatements: [removed] })).toEqual({ notes: ['removes `setInterval(() => { …` (src/app.js:2): entries expire in Redis (TTL)'] });
  });

  it('checks that a declared replacement is in the result', () => {
    const text = `app.post('/pdf', async (req, res) => {\n  const pdf = await render(req.body.title);\n  res.send(pdf);\n});\n`;
    const statement = 'const pdf = await render(req.body.title);';
    const span = { fileName: APP, start: text.indexOf(statement), end: text.indexOf(statement) + statement.length };
    const replacement = "const { id: jobId } = await enqueueJob('render', [req.body.title]);";
    const declared = { ...span, replacement, reason: 'the worker renders it' };
    const answer = replace(text, 'res.send(pdf)', 'res.send(pdf)', 'res.status(202).json({ jobId })');
    expect(check({ [APP]: text }, { edits: [{ ...span, newText: replacement }, answer], replacedStatements: [declared] })).toEqual({
      notes: ["replaces `const pdf = await render(req.body.title)` (src/app.js:2) with `const { id: jobId } = await enqueueJob('render', [req.body.title])`: the worker renders it"],
    });
    expect(check({ [APP]: text }, { edits: [{ ...span, newText: 'enqueue();' }, answer], replacedStatements: [declared] })).toEqual({
      refused: "it replaces `const pdf = await render(req.body.title)` (src/app.js:2) with `const { id: jobId } = await enqueueJob('render', [req.body.title])`, which is not in the result",
    });
    expect(check({ [APP]: text }, { edits: [{ ...span, newText: replacement }, answer] })).toEqual({ refused: 'it drops `const pdf = await render(req.body.title)` (src/app.js:2)' });
  });

  it('judges a statement without a semicolon (ASI style) as the same statement with one', () => {
    const withSemicolon = `app.post('/notes/:id', async (req, res) => {\n  fs.writeFileSync(notePath(req.params.id), req.body.text);\n  res.send('saved');\n});\n`;
    const withoutSemicolon = withSemicolon.replace(/;\n/g, '\n');
    for (const text of [withSemicolon, withoutSemicolon]) {
      // The call rewritten in place: the statement is changed, not dropped.
      const rewrite = replace(text, 'fs.writeFileSync(', 'req.body.text)', 'await objectStore.putFile(notePath(req.params.id), req.body.text)');
      expect(check({ [APP]: text }, { edits: [rewrite] })).toEqual({ notes: [] });
    }
    // An edit over more than the expression replaces the statements it covers: each must be in the result.
    const whole = replace(withoutSemicolon, 'fs.writeFileSync(', "res.send('saved')", "await objectStore.putFile(notePath(req.params.id), req.body.text)\n  res.send('saved')");
    expect(check({ [APP]: withoutSemicolon }, { edits: [whole] })).toEqual({ refused: 'it drops `fs.writeFileSync(notePath(req.params.id), req.body.text)` (src/app.js:2)' });
  });

  it('refuses overlapping edits (they would leave a half-migration)', () => {
    const edits = [replace(CALLBACK, 'fs.writeFile(', 'req.body.text', 'a'), replace(CALLBACK, 'notePath(', 'id)', 'b')];
    expect(check({ [APP]: CALLBACK }, { edits })).toEqual({ refused: 'two of its edits overlap at src/app.js:3' });
  });

  it('refuses a plan that unwraps a try and loses its catch', () => {
    const text = `app.get('/a', async (req, res, next) => {\n  try {\n    res.json(await load());\n  } catch (error) {\n    next(error);\n  }\n});\n`;
    const edits = [replace(text, 'try {', '  }\n', 'res.json(await load());\n  next(error);\n')];
    expect(check({ [APP]: text }, { edits })).toEqual({ refused: 'it drops `catch (error) { …` (src/app.js:4), which catches the error' });
  });
});

// A scheduled job's body moved into a function of its own, one indent less: a statement with a
// `${…}` in a template literal is the same statement, though the lines after the `}` moved.
describe('checkPlan: statements moved and re-indented', () => {
  it('passes a statement whose template literal goes on after a substitution', () => {
    const text = `cron.schedule('0 6 * * *', async () => {
    const [totals] = await db
      .select({ revenue: sql\`coalesce(sum(\${orders.total}), 0)::int\` })
      .from(orders);
    await report(totals);
  });
`;
    const moved = `void scheduleJob('reportJob', { pattern: '0 6 * * *' });
async function reportJob() {
  const [totals] = await db
    .select({ revenue: sql\`coalesce(sum(\${orders.total}), 0)::int\` })
    .from(orders);
  await report(totals);
}
`;
    expect(check({ [APP]: text }, { edits: [{ fileName: APP, start: 0, end: text.length, newText: moved }] })).toEqual({ notes: [] });
    // The text inside the template still counts: a changed one is a dropped statement.
    expect(check({ [APP]: text }, { edits: [{ fileName: APP, start: 0, end: text.length, newText: moved.replace('0)::int', '1)::int') }] })).toEqual({ refused: 'it drops `const [totals] = await db …` (src/app.js:2)' });
  });
});
