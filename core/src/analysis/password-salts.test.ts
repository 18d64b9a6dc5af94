import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// `bcrypt.genSaltSync(10)` on a request path (round 36 of test/real-world, a dashboard's user creation
// and password change): it draws 16 random bytes and encodes them with the cost factor, whatever the
// factor; the rounds run in the hash. The hash (`hashSync`) blocks and stays reported; a salt drawn
// synchronously before an async hash is no blocking work.

afterAll(removeAnalysedProjects);

const RULES = ['no-blocking-request-work'];

const files = {
  'package.json': '{ "name": "dashboard", "dependencies": { "express": "4", "bcryptjs": "2", "bcrypt": "5" } }',
  'routes/users.ts': `import express from 'express';
import bcrypt from 'bcryptjs';
import { genSaltSync, hash } from 'bcrypt';

export const router = express.Router();

router.post('/users', (req, res) => {
  const salt = bcrypt.genSaltSync(10);
  res.json({ hash: bcrypt.hashSync(req.body.password, salt) });
});

router.put('/users/:id/password', async (req, res) => {
  const salt = genSaltSync(12);
  res.json({ hash: await hash(req.body.password, salt) });
});
`,
  'app.ts': `import express from 'express';
import { router } from './routes/users';

const app = express();
app.use(router);
app.listen(3000);
`,
};

describe('a salt drawn synchronously', () => {
  const expected = [
    '9:20 no-blocking-request-work: `bcrypt.hashSync` blocks the event loop on POST /users (routes/users.ts:7): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
  ];

  it('is no blocking work; the synchronous hash beside it is', () => {
    expect(untyped(files, 'routes/users.ts', RULES)).toEqual(expected);
    expect(typed(files, 'routes/users.ts', RULES)).toEqual(expected);
  });
});
