import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../analysis/analyze';
import { applyPlan } from '../testing/fix-plans';
import { createProgram } from '../testing/program';
import { planFixes } from './index';

// Express 4 ignores what a handler returns: a fix that makes a handler async must keep its errors
// going to the error handler (a throw did; a rejection would not, and would end the process).

/** A project on disk (the fix reads which express the project has), its sources given in memory. */
function expressProject(expressVersion: string | undefined, sources: Record<string, string>): { root: string; files: Record<string, string> } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'stateless-express-errors-'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: expressVersion ? { express: expressVersion, bcryptjs: '2.4.3' } : { bcryptjs: '2.4.3' } }));
  if (expressVersion) {
    mkdirSync(path.join(root, 'node_modules/express'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules/express/package.json'), JSON.stringify({ name: 'express', version: expressVersion }));
  }
  return { root, files: Object.fromEntries(Object.entries(sources).map(([name, text]) => [`${root}/${name}`, text])) };
}

function blockingPlan(root: string, files: Record<string, string>, fileName: string) {
  const program = createProgram(files);
  const sourceFile = program.getSourceFile(`${root}/${fileName}`)!;
  const finding = analyzeSourceFile(sourceFile, { program, projectRoot: root, rules: ['no-blocking-request-work'] })[0];
  expect(finding, 'a no-blocking-request-work finding').toBeDefined();
  return planFixes(sourceFile, finding, { program, projectRoot: root });
}

const ROUTES = `const express = require('express');
const bcrypt = require('bcryptjs');
const router = express.Router();

router.post('/signup', function (req, res, next) {
  const hash = bcrypt.hashSync(req.body.password, 10);
  res.status(201).json({ hash });
});

module.exports = router;
`;

describe('a handler made async on Express 4 keeps its errors going to the error handler', () => {
  it('wraps the handler in forwardErrors and creates the adapter in the project\'s language', () => {
    const { root, files } = expressProject('4.21.2', { 'routes/auth.js': ROUTES });
    const planned = blockingPlan(root, files, 'routes/auth.js');
    expect(planned.refused).toBeUndefined();
    const plan = planned.plans.at(-1)!;
    const fixed = applyPlan(files, plan);
    expect(fixed[`${root}/routes/auth.js`]).toBe(`const express = require('express');
const bcrypt = require('bcryptjs');
const { forwardErrors } = require('../src/scaling/express-errors');
const router = express.Router();

router.post('/signup', forwardErrors(async function (req, res, next) {
  const hash = await bcrypt.hash(req.body.password, 10);
  res.status(201).json({ hash });
}));

module.exports = router;
`);
    const adapter = plan.createFiles.find((created) => created.fileName === `${root}/src/scaling/express-errors.js`);
    expect(adapter?.text).toContain('function forwardErrors(handler)');
    expect(adapter?.text).toContain('module.exports');
  });

  it('leaves the handler as it is on Express 5, which passes rejections to the error handler itself', () => {
    const { root, files } = expressProject('5.1.0', { 'routes/auth.js': ROUTES });
    const fixed = applyPlan(files, blockingPlan(root, files, 'routes/auth.js').plans.at(-1)!);
    expect(fixed[`${root}/routes/auth.js`]).toContain("router.post('/signup', async function (req, res, next) {");
    expect(fixed[`${root}/routes/auth.js`]).not.toContain('forwardErrors');
  });

  it('wraps a function declaration at each of its registrations, across files, and keeps its direct callers awaiting it', () => {
    const { root, files } = expressProject('4.21.2', {
      'middleware/auth.js': `const bcrypt = require('bcryptjs');

function requireAuth(req, res, next) {
  if (!bcrypt.compareSync(String(req.headers['x-key']), process.env.KEY_HASH)) {
    res.status(401).json({ message: 'Unauthorized' });
    return;
  }
  next();
}

module.exports = { requireAuth };
`,
      'routes/account.js': `const express = require('express');
const { requireAuth } = require('../middleware/auth');
const router = express.Router();

router.use(requireAuth);
router.get('/account', function (req, res) {
  res.json({ ok: true });
});
router.post('/check', function (req, res, next) {
  requireAuth(req, res, function () {
    res.json({ checked: true });
  });
});

module.exports = router;
`,
      'routes/admin.js': `const express = require('express');
const auth = require('../middleware/auth');
const router = express.Router();

router.route('/admin').get(auth.requireAuth, function (req, res) {
  res.json({ admin: true });
});

module.exports = router;
`,
    });
    const planned = blockingPlan(root, files, 'middleware/auth.js');
    expect(planned.refused).toBeUndefined();
    const fixed = applyPlan(files, planned.plans.at(-1)!);
    expect(fixed[`${root}/middleware/auth.js`]).toBe(`const bcrypt = require('bcryptjs');

async function requireAuth(req, res, next) {
  if (!(await bcrypt.compare(String(req.headers['x-key']), process.env.KEY_HASH))) {
    res.status(401).json({ message: 'Unauthorized' });
    return;
  }
  next();
}

module.exports = { requireAuth };
`);
    expect(fixed[`${root}/routes/account.js`]).toBe(`const express = require('express');
const { requireAuth } = require('../middleware/auth');
const { forwardErrors } = require('../src/scaling/express-errors');
const router = express.Router();

router.use(forwardErrors(requireAuth));
router.get('/account', function (req, res) {
  res.json({ ok: true });
});
router.post('/check', forwardErrors(async function (req, res, next) {
  await requireAuth(req, res, function () {
    res.json({ checked: true });
  });
}));

module.exports = router;
`);
    expect(fixed[`${root}/routes/admin.js`]).toBe(`const express = require('express');
const auth = require('../middleware/auth');
const { forwardErrors } = require('../src/scaling/express-errors');
const router = express.Router();

router.route('/admin').get(forwardErrors(auth.requireAuth), function (req, res) {
  res.json({ admin: true });
});

module.exports = router;
`);
  });

  it('refuses, naming the use, when a declaration made async is also passed somewhere it cannot wrap', () => {
    const { root, files } = expressProject('4.21.2', {
      'routes/auth.js': ROUTES.replace("router.post('/signup', function (req, res, next) {", 'function signup(req, res, next) {').replace('});\n\nmodule', "}\nrouter.post('/signup', signup);\nconst steps = [signup];\n\nmodule"),
    });
    expect(blockingPlan(root, files, 'routes/auth.js').refused?.reason).toBe(
      'Express 4 does not pass a rejected promise to the error handler, and `signup`, the handler made async (routes/auth.js:5), is used as a value at routes/auth.js:10, where the fix cannot wrap it in `forwardErrors`',
    );
  });

  it('refuses a handler registered by a route table: the loop registers every row, the fix cannot wrap one', () => {
    const { root, files } = expressProject('4.21.2', {
      'routes/auth.js': `const express = require('express');
const bcrypt = require('bcryptjs');
const router = express.Router();
function signup(req, res, next) {
  const hash = bcrypt.hashSync(req.body.password, 10);
  res.status(201).json({ hash });
}
const routes = [{ method: 'post', path: '/signup', handler: signup }];
routes.forEach((route) => router[route.method](route.path, route.handler));

module.exports = router;
`,
    });
    expect(blockingPlan(root, files, 'routes/auth.js').refused?.reason).toBe(
      'Express 4 does not pass a rejected promise to the error handler, and `signup`, the handler made async (routes/auth.js:4), is registered for POST /signup by a route table (routes/auth.js:8), where the fix cannot wrap it in `forwardErrors`',
    );
  });

  it('wraps a method of an object literal where it is registered: forwardErrors(handlers.signup)', () => {
    const { root, files } = expressProject('4.21.2', {
      'routes/auth.js': ROUTES.replace("router.post('/signup', function (req, res, next) {", 'const handlers = {\n  signup(req, res, next) {').replace('});\n\nmodule', "  },\n};\nrouter.post('/signup', handlers.signup);\n\nmodule"),
    });
    const planned = blockingPlan(root, files, 'routes/auth.js');
    expect(planned.refused).toBeUndefined();
    expect(applyPlan(files, planned.plans.at(-1)!)[`${root}/routes/auth.js`]).toBe(`const express = require('express');
const bcrypt = require('bcryptjs');
const { forwardErrors } = require('../src/scaling/express-errors');
const router = express.Router();

const handlers = {
  async signup(req, res, next) {
  const hash = await bcrypt.hash(req.body.password, 10);
  res.status(201).json({ hash });
  },
};
router.post('/signup', forwardErrors(handlers.signup));

module.exports = router;
`);
  });
});

const CONTROLLER_TS = `import bcrypt from 'bcryptjs';
import type { Request, Response } from 'express';

export class AccountController {
  private readonly rounds = 10;

  signup(req: Request, res: Response): void {
    const hash = bcrypt.hashSync(String(req.body.password), this.rounds);
    res.status(201).json({ hash });
  }
}
`;

describe('an Express 4 handler that is a class method made async keeps its errors going to the error handler', () => {
  it('TypeScript: the method registered bound to its instance is wrapped where it is registered, forwardErrors(controller.signup.bind(controller))', () => {
    const { root, files } = expressProject('4.21.2', {
      'src/accounts.ts': CONTROLLER_TS,
      'src/routes.ts': `import { Router } from 'express';
import { AccountController } from './accounts';

const controller = new AccountController();
export const router = Router();
router.post('/signup', controller.signup.bind(controller));
`,
    });
    const planned = blockingPlan(root, files, 'src/accounts.ts');
    expect(planned.refused).toBeUndefined();
    const fixed = applyPlan(files, planned.plans.at(-1)!);
    expect(fixed[`${root}/src/accounts.ts`]).toBe(`import bcrypt from 'bcryptjs';
import type { Request, Response } from 'express';

export class AccountController {
  private readonly rounds = 10;

  async signup(req: Request, res: Response): Promise<void> {
    const hash = await bcrypt.hash(String(req.body.password), this.rounds);
    res.status(201).json({ hash });
  }
}
`);
    expect(fixed[`${root}/src/routes.ts`]).toBe(`import { Router } from 'express';
import { AccountController } from './accounts';
import { forwardErrors } from './scaling/express-errors';

const controller = new AccountController();
export const router = Router();
router.post('/signup', forwardErrors(controller.signup.bind(controller)));
`);
  });

  it('TypeScript: an arrow that calls the method is the handler: it awaits the method and is wrapped', () => {
    const { root, files } = expressProject('4.21.2', {
      'src/accounts.ts': CONTROLLER_TS,
      'src/routes.ts': `import { Router } from 'express';
import { AccountController } from './accounts';

const controller = new AccountController();
export const router = Router();
router.post('/signup', (req, res) => controller.signup(req, res));
`,
    });
    const planned = blockingPlan(root, files, 'src/accounts.ts');
    expect(planned.refused).toBeUndefined();
    expect(applyPlan(files, planned.plans.at(-1)!)[`${root}/src/routes.ts`]).toBe(`import { Router } from 'express';
import { AccountController } from './accounts';
import { forwardErrors } from './scaling/express-errors';

const controller = new AccountController();
export const router = Router();
router.post('/signup', forwardErrors(async (req, res) => await controller.signup(req, res)));
`);
  });

  it('CommonJS: a class that registers its own method with this.signup.bind(this) in its constructor', () => {
    const { root, files } = expressProject('4.21.2', {
      'routes/accounts.js': `const express = require('express');
const bcrypt = require('bcryptjs');

class AccountRoutes {
  constructor() {
    this.router = express.Router();
    this.router.post('/signup', this.signup.bind(this));
  }

  signup(req, res) {
    const hash = bcrypt.hashSync(req.body.password, 10);
    res.status(201).json({ hash });
  }
}

module.exports = new AccountRoutes().router;
`,
    });
    const planned = blockingPlan(root, files, 'routes/accounts.js');
    expect(planned.refused).toBeUndefined();
    expect(applyPlan(files, planned.plans.at(-1)!)[`${root}/routes/accounts.js`]).toBe(`const express = require('express');
const bcrypt = require('bcryptjs');
const { forwardErrors } = require('../src/scaling/express-errors');

class AccountRoutes {
  constructor() {
    this.router = express.Router();
    this.router.post('/signup', forwardErrors(this.signup.bind(this)));
  }

  async signup(req, res) {
    const hash = await bcrypt.hash(req.body.password, 10);
    res.status(201).json({ hash });
  }
}

module.exports = new AccountRoutes().router;
`);
  });

  it('refuses a method also taken as a value elsewhere, where a rejection would not reach the error handler', () => {
    const { root, files } = expressProject('4.21.2', {
      'routes/auth.js': `const express = require('express');
const bcrypt = require('bcryptjs');
const router = express.Router();
const handlers = {
  signup(req, res, next) {
    const hash = bcrypt.hashSync(req.body.password, 10);
    res.status(201).json({ hash });
  },
};
router.post('/signup', handlers.signup);
const later = handlers.signup;

module.exports = { router, later };
`,
    });
    expect(blockingPlan(root, files, 'routes/auth.js').refused?.reason).toBe(`Express 4 does not pass a rejected promise to the error handler, and \`signup\`, the handler made async (routes/auth.js:5), is used as a value at routes/auth.js:11, where the fix cannot wrap it in \`forwardErrors\``);
  });
});
