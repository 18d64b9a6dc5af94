import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan } from '../testing/fix-plans';

// A count read right after the statement that counts: in one process, the number this request
// counted. In Redis, a later `get()` may read another request's count, so the increment's own
// result is kept and read instead.

const app = (body: string, declaration = 'let ticket = 0;'): Record<string, string> => ({
  [`${ROOT}/src/app.js`]: `const express = require('express');
const db = require('./db');
const app = express();
${declaration}

function resetTickets() {
  ticket = 0;
}

app.post('/tickets', (req, res) => {
${body}
});
app.post('/tickets/reset', (req, res) => {
  resetTickets();
  res.status(204).end();
});
module.exports = app;
`,
  [`${ROOT}/src/db.js`]: 'exports.save = async function (n) {};\n',
});

const fixed = (files: Record<string, string>): string => {
  const route = applyPlan(files, movePlan(files, 'no-in-memory-counter', `${ROOT}/src/app.js`))[`${ROOT}/src/app.js`]!;
  return route.slice(route.indexOf("app.post('/tickets',"), route.indexOf("app.post('/tickets/reset'"));
};

describe('planFixes: a count read right after it is counted', () => {
  it('reads what the increment returned: two requests counting at once never see the same number', () => {
    expect(fixed(app('  ticket += 1;\n  console.log(`ticket ${ticket}`);\n  res.json({ number: ticket });'))).toBe(`app.post('/tickets', async (req, res) => {
  const ticketNow = await ticket.increment(1);
  console.log(\`ticket \${ticketNow}\`);
  res.json({ number: ticketNow });
});
`);
    // Read inside the awaited call: it runs before the await lets anything else in.
    const awaiting = app('  ticket++;\n  await db.save({ ticket });\n  res.json({ number: ticket });');
    awaiting[`${ROOT}/src/app.js`] = awaiting[`${ROOT}/src/app.js`]!.replace("app.post('/tickets', (req, res)", "app.post('/tickets', async (req, res)");
    expect(fixed(awaiting)).toBe(`app.post('/tickets', async (req, res) => {
  const ticketNow = await ticket.increment();
  await db.save({ ticket: ticketNow });
  res.json({ number: await ticket.get() });
});
`);
  });

  it('adds the start back when the count does not start at 0', () => {
    expect(fixed(app('  ticket += 1;\n  res.json({ number: ticket });', 'let ticket = 100;'))).toBe(`app.post('/tickets', async (req, res) => {
  const ticketNow = await ticket.increment(1);
  res.json({ number: (ticketNow + 100) });
});
`);
  });

  it('reads the count again after a call that may change it, inside a callback that runs later, and in a loop that awaits', () => {
    expect(fixed(app('  ticket += 1;\n  if (req.query.reset) resetTickets();\n  res.json({ number: ticket });'))).toBe(`app.post('/tickets', async (req, res) => {
  await ticket.increment(1);
  if (req.query.reset) await resetTickets();
  res.json({ number: await ticket.get() });
});
`);
    expect(fixed(app('  ticket += 1;\n  setTimeout(() => console.log(ticket), 10);\n  res.json({ number: ticket });'))).toBe(`app.post('/tickets', async (req, res) => {
  const ticketNow = await ticket.increment(1);
  setTimeout(async () => console.log(await ticket.get()), 10);
  res.json({ number: ticketNow });
});
`);
  });
});
