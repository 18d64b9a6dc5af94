import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Resolution without a checker is bounded in depth; a question must be bounded in width too. A test that
// swaps a built-in global for a subclass and back (`global.Date = class extends RealDate {…}`,
// `global.Date = RealDate`, `const RealDate = Date`) makes every `Date.UTC(…)` of the service a
// question whose values lead back to themselves through each assignment: tududi's report and lint
// both ran for more than 15 minutes. Past a budget of steps a question answers with what it found.

afterAll(removeAnalysedProjects);

const rules = ['no-local-disk-write', 'no-blocking-request-work'] as const;

const dateMock = (index: number): string => `const RealDate = Date;
describe('dates ${index}', () => {
  beforeEach(() => {
    global.Date = class extends RealDate {
      constructor(...args) { super(...(args.length ? args : [Date.UTC(2024, 0, ${index})])); }
      static now() { return RealDate.UTC(2024, 0, ${index}); }
    };
    global.Date.UTC = RealDate.UTC;
    global.Date.parse = RealDate.parse;
    global.Date.now = () => new RealDate(Date.UTC(2024, 0, ${index})).getTime();
  });
  afterEach(() => {
    global.Date = RealDate;
  });
});
`;

const files: Record<string, string> = {
  'package.json': '{ "name": "planner", "main": "app.js" }',
  'dates.js': `function dayStart(date) {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
function weekStart(date) {
  const day = dayStart(date);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - day.getUTCDay()));
}
function monthStart(date) {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}
module.exports = { dayStart, weekStart, monthStart };
`,
  'app.js': `const express = require('express');
const fs = require('fs');
const { dayStart, weekStart, monthStart } = require('./dates');

const app = express();
app.post('/plans', express.json(), (req, res) => {
  const plan = { day: dayStart(new Date()), week: weekStart(new Date()), month: monthStart(new Date(Date.UTC(2024, 0, 1))) };
  fs.writeFileSync('plans/' + req.body.name + '.json', JSON.stringify(plan));
  res.json(plan);
});
app.listen(3000);
`,
};
for (let index = 1; index <= 4; index++) files[`tests/dates-${index}.test.js`] = dateMock(index);

describe('a question the resolver cannot answer in its budget', () => {
  it('still reports the route, untyped, when tests swap a built-in global back and forth', () => {
    const started = Date.now();
    expect(untypedFindings(files, 'app.js', [...rules])).toEqual([
      '8:3 no-blocking-request-work: `fs.writeFileSync` blocks the event loop on POST /plans (app.js:6): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
      '8:3 no-local-disk-write: `fs.writeFileSync` writes to this instance\'s local disk on POST /plans (app.js:6). Other instances will not find the file, and it is lost when this instance is replaced.',
    ]);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);

  it('reports the same route typed', () => {
    expect(typedFindings(files, 'app.js', [...rules]).map((finding) => finding.slice(0, finding.indexOf(':', 5)))).toEqual(['8:3 no-blocking-request-work', '8:3 no-local-disk-write']);
  }, 60_000);
});
