import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A signing key a web process draws for itself as it starts, kept under a key's name: when none is
// configured (or none is in its own settings file yet), each instance draws its own, so a token or a
// cookie one instance signed is rejected by the others, and users are logged out at random.

afterAll(removeAnalysedProjects);

const untyped = (files: Record<string, string>, file: string): string[] => untypedFindings(files, file, ['no-in-memory-session']);
const typed = (files: Record<string, string>, file: string): string[] => typedFindings(files, file, ['no-in-memory-session']);

const message = (name: string, when: string): string =>
  `no-in-memory-session: \`${name}\` is a key drawn at random ${when}: every instance draws its own, so what one instance signs or encrypts with it the others reject, and users are logged out whenever the load balancer switches them. Give every instance the same key (from the environment, or from shared storage).`;

describe('a key the web process draws as it starts', () => {
  it('reports a JWT secret drawn when the settings file has none, and saved there for the next start, typed and untyped', () => {
    const files = {
      'src/auth.ts': `import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { settings } from './settings';

let SERVER_SECRET = '';

export function initialize(): void {
  const stored = settings.get('jwt_secret');
  if (stored) {
    SERVER_SECRET = stored;
  } else {
    SERVER_SECRET = randomUUID();
    settings.set('jwt_secret', SERVER_SECRET);
  }
}

export function issueToken(user: string): string {
  return jwt.sign({ user }, SERVER_SECRET, { expiresIn: '1d' });
}
`,
      'src/settings.ts': `import fs from 'node:fs';

const file = 'data/settings.json';
const values: Record<string, string> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};

export const settings = {
  get: (key: string): string | undefined => values[key],
  set(key: string, value: string): void {
    values[key] = value;
    fs.writeFileSync(file, JSON.stringify(values));
  },
};
`,
      'src/server.ts': `import express from 'express';
import { initialize, issueToken } from './auth';

initialize();
const app = express();
app.post('/login', express.json(), (req, res) => {
  res.json({ token: issueToken(req.body.user) });
});
app.listen(3000);
`,
    };
    const expected = [`12:21 ${message('SERVER_SECRET', 'as the process starts when none is configured')}`];
    expect(untyped(files, 'src/auth.ts')).toEqual(expected);
    expect(typed(files, 'src/auth.ts')).toEqual(expected);
  });

  it('reports a secret read from the environment with a drawn fallback, and a secrets object drawn for a file, typed and untyped', () => {
    const files = {
      'src/env.ts': `import { v4 as uuid } from 'uuid';

const jwtSecret =
  !process.env.JWT_SECRET || process.env.JWT_SECRET === 'change-me'
    ? uuid()
    : process.env.JWT_SECRET;

export const env = { jwtSecret, port: Number(process.env.PORT ?? 3000) };
`,
      'src/secrets.ts': `import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

export function generateSecrets(path: string): { secretKey: string } {
  const secrets = {
    secretKey: randomBytes(32).toString('hex'),
  };
  writeFileSync(path, JSON.stringify(secrets));
  return secrets;
}
`,
      'src/main.ts': `import Fastify from 'fastify';
import { env } from './env';
import { generateSecrets } from './secrets';

const { secretKey } = generateSecrets('data/secrets.json');
const app = Fastify();
app.get('/health', async () => ({ ok: true, signed: secretKey.length > 0 && env.jwtSecret.length > 0 }));
await app.listen({ port: env.port });
`,
    };
    expect(untyped(files, 'src/env.ts')).toEqual([`5:7 ${message('jwtSecret', 'as the process starts when none is configured')}`]);
    expect(typed(files, 'src/env.ts')).toEqual([`5:7 ${message('jwtSecret', 'as the process starts when none is configured')}`]);
    expect(untyped(files, 'src/secrets.ts')).toEqual([`6:16 ${message('secretKey', 'as the process starts')}`]);
    expect(typed(files, 'src/secrets.ts')).toEqual([`6:16 ${message('secretKey', 'as the process starts')}`]);
  });

  it('reports a drawn fallback whose module is required in place, in a CommonJS settings object, typed and untyped', () => {
    const files = {
      'config/settings.js': `const path = require('path');

const settings = {
  port: process.env.PORT || 4000,
  uploads: path.join(__dirname, '..', 'uploads'),
  sessionSecret:
    process.env.APP_SESSION_SECRET ||
    require('crypto').randomBytes(48).toString('hex'),
  nodeId: require('node:crypto').randomUUID(),
};

module.exports = settings;
`,
      'app.js': `const express = require('express');
const session = require('express-session');
const RedisStore = require('connect-redis').default;
const { createClient } = require('redis');
const settings = require('./config/settings');

const redis = createClient({ url: process.env.REDIS_URL });
redis.connect();
const app = express();
app.use(session({ store: new RedisStore({ client: redis }), secret: settings.sessionSecret, resave: false, saveUninitialized: false }));
app.get('/me', (req, res) => res.json({ user: req.session.user, node: settings.nodeId }));
app.listen(settings.port);
`,
    };
    const expected = [`8:5 ${message('sessionSecret', 'as the process starts when none is configured')}`];
    expect(untyped(files, 'config/settings.js')).toEqual(expected);
    expect(typed(files, 'config/settings.js')).toEqual(expected);
  });

  it('quiet: a reset secret drawn per request, a key drawn by a one-off command, an instance id, and a fixed fallback', () => {
    const files = {
      'src/app.ts': `import { randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import { users } from './users';

const instanceId = randomUUID();
const cookieSecret = process.env.COOKIE_SECRET || 'development-only';
const app = express();
app.post('/password-reset', express.json(), async (req, res) => {
  const resetSecret = randomBytes(20).toString('hex');
  await users.update(req.body.email, { resetSecret });
  res.json({ instanceId, sent: cookieSecret.length > 0 });
});
app.listen(3000);
`,
      'src/users.ts': `export const users = { update: async (_email: string, _fields: object): Promise<void> => {} };
`,
      'scripts/generate-secret.ts': `import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';

const jwtSecret = randomBytes(48).toString('base64');
appendFileSync('.env', \`JWT_SECRET=\${jwtSecret}\\n\`);
`,
    };
    expect(untyped(files, 'src/app.ts')).toEqual([]);
    expect(typed(files, 'src/app.ts')).toEqual([]);
    expect(untyped(files, 'scripts/generate-secret.ts')).toEqual([]);
    expect(typed(files, 'scripts/generate-secret.ts')).toEqual([]);
  });
});
