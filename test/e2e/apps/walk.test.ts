// The statement walk must be able to fail: a dropped callback continuation (issue 10's first
// failure) is caught; a continuation moved after an await, a rewrite in place, and a removal the fix
// output states are not.
import { describe, expect, it } from 'vitest';
import { declaredRemovals, walkStatements } from './walk';

const original = `router.post('/cover', function (req, res, next) {
  fs.writeFile(target, req.body, function (err) {
    if (err) return next(err);
    stats.covers++;
    res.status(201).json({ ok: true });
  });
});
var hash = bcrypt.hashSync(password, 10);
fs.mkdirSync(dir, { recursive: true });
const timer = setInterval(function () {
  sweep(sessions);
}, 60000);
`;

describe('statement walk', () => {
  it('catches a callback continuation the fix dropped', () => {
    const fixed = `router.post('/cover', async function (req, res, next) {
  await objectStore.putFile(target, req.body);
});
var hash = bcrypt.hashSync(password, 10);
fs.mkdirSync(dir, { recursive: true });
const timer = setInterval(function () {
  sweep(sessions);
}, 60000);
`;
    expect(walkStatements('routes/books.js', original, fixed, '').dropped).toEqual([
      'routes/books.js:3 `return next(err)`',
      'routes/books.js:4 `stats.covers++`',
      'routes/books.js:5 `res.status(201).json({ ok: true })`',
    ]);
  });

  it('accepts a continuation moved after an await, a rewrite in place and a stated removal', () => {
    const fixed = `router.post('/cover', async function (req, res, next) {
  try {
    await objectStore.putFile(target, req.body);
  } catch (err) {
    return next(err);
  }
  stats.covers++;
  res.status(201).json({ ok: true });
});
var hash = await bcrypt.hash(password, 10);
await fs.promises.mkdir(dir, { recursive: true });
`;
    const output = [
      'fixed no-in-memory-session at routes/books.js:10',
      '  removes `const timer = setInterval(function () { …` (routes/books.js:10): the store expires idle sessions (TTL)',
    ].join('\n');
    expect(declaredRemovals(output)).toEqual([{ file: 'routes/books.js', line: 10, quoted: 'const timer = setInterval(function () { …', reason: 'the store expires idle sessions (TTL)' }]);
    expect(walkStatements('routes/books.js', original, fixed, output)).toEqual({
      file: 'routes/books.js',
      kept: 3,
      rewritten: [
        'routes/books.js:8 `var hash = bcrypt.hashSync(password, 10)` → `var hash = await bcrypt.hash(password, 10)`',
        'routes/books.js:9 `fs.mkdirSync(dir, { recursive: true })` → `await fs.promises.mkdir(dir, { recursive: true })`',
      ],
      declared: ['routes/books.js:11 `sweep(sessions)`: the store expires idle sessions (TTL)'],
      dropped: [],
    });
  });
  it('a statement a note quotes as an earlier fix left it (an `async`/`await` added) is the declared one; other text is not', () => {
    const original = `export function startJobs() {\n  cron.schedule('0 0 * * *', () => resetWatering());\n}\n`;
    const fixed = `export function startJobs() {\n  void scheduleJob('resetWatering', { pattern: '0 0 * * *' });\n}\n`;
    const note = (quoted: string) => `  replaces \`${quoted}\` (src/jobs.ts:2) with \`void scheduleJob('resetWatering', { pattern: '0 0 * * *' })\`: the worker runs \`resetWatering\` on each tick of the schedule`;
    const walk = walkStatements('src/jobs.ts', original, fixed, note("cron.schedule('0 0 * * *', async () => await resetWatering())"));
    expect(walk.declared).toEqual(["src/jobs.ts:2 `cron.schedule('0 0 * * *', () => resetWatering())`: the worker runs `resetWatering` on each tick of the schedule"]);
    expect(walk.dropped).toEqual([]);
    expect(walkStatements('src/jobs.ts', original, fixed, note("cron.schedule('0 0 * * *', async () => await resetAll())")).dropped).toEqual(["src/jobs.ts:2 `cron.schedule('0 0 * * *', () => resetWatering())`"]);
    // An earlier fix that collapsed a block above it moved it up: the note's line is above the statement's.
    const below = `// a\n// b\n// c\n${original}`;
    expect(walkStatements('src/jobs.ts', below, `// a\n// b\n// c\n${fixed}`, note("cron.schedule('0 0 * * *', async () => await resetWatering())")).dropped).toEqual([]);
  });

  it('a statement rewritten into another form stands in its own place; one deleted with nothing there is dropped', () => {
    const original = `var tokens = {};\nfunction revoke(token) {\n  delete tokens[token];\n  log('revoked');\n}\n`;
    const fixed = `const tokens = createSessionStore('tokens');\nasync function revoke(token) {\n  await tokens.delete(token);\n  log('revoked');\n}\n`;
    const walk = walkStatements('lib/auth.js', original, fixed, '');
    expect(walk.dropped).toEqual([]);
    expect(walk.rewritten).toEqual([
      "lib/auth.js:1 `var tokens = {}` → `const tokens = createSessionStore('tokens')`",
      'lib/auth.js:3 `delete tokens[token]` → `await tokens.delete(token)`',
    ]);
    const lost = fixed.replace('  await tokens.delete(token);\n', '');
    expect(walkStatements('lib/auth.js', original, lost, '').dropped).toEqual(['lib/auth.js:3 `delete tokens[token]`']);
  });
});
