import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A Fastify service whose route plugins each make their controller once, in the plugin's body
// (`export async function loginRoutes(fastify) { const controller = new LoginController(); fastify.get(…) }`),
// and whose controllers make their services in field initializers (`private loginService = new LoginService()`):
// Fastify runs the body once while the server starts, so the controller and its services live as long as the
// process, and the OIDC logins in flight they keep under a drawn state are this instance's alone (round 34 of
// test/real-world: a file-sharing service's sign-in), written here in a shape of our own. Look-alikes: a plugin
// that makes a controller per request, and a map keyed by the provider's name.

afterAll(removeAnalysedProjects);

const untyped = (files: Record<string, string>, file: string): string[] => untypedFindings(files, file, ['no-in-memory-session', 'no-process-local-cache']);
const typed = (files: Record<string, string>, file: string): string[] => typedFindings(files, file, ['no-in-memory-session', 'no-process-local-cache']);

const service = `import crypto from 'node:crypto';

interface PendingLogin { verifier: string; provider: string }

export class LoginService {
  private pendingStates = new Map<string, PendingLogin>();

  private generateState(): string {
    return crypto.randomBytes(32).toString('hex');
  }

  begin(provider: string, state?: string): string {
    const finalState = state || this.generateState();
    this.pendingStates.set(finalState, { verifier: crypto.randomBytes(32).toString('hex'), provider });
    return 'https://idp.example/authorize?state=' + finalState;
  }

  finish(state: string): PendingLogin | undefined {
    return this.pendingStates.get(state);
  }
}
`;

const controller = `import { LoginService } from './service';

export class LoginController {
  private loginService = new LoginService();

  async start(request: any, reply: any) {
    return reply.redirect(this.loginService.begin(request.query.provider));
  }

  async callback(request: any, reply: any) {
    return reply.send(this.loginService.finish(request.query.state));
  }
}
`;

const app = (routes: string): Record<string, string> => ({
  'src/app.ts': `import fastify from 'fastify';

export async function buildApp() {
  return fastify();
}
`,
  'src/server.ts': `import { buildApp } from './app';
import { loginRoutes } from './login/routes';

async function startServer() {
  const app = await buildApp();
  app.register(loginRoutes, { prefix: '/auth' });
  await app.listen({ port: 3333 });
}

startServer().catch(() => process.exit(1));
`,
  'src/login/routes.ts': routes,
  'src/login/controller.ts': controller,
  'src/login/service.ts': service,
});

describe('a controller a Fastify plugin makes once, and the services its fields make', () => {
  it('reports the logins in flight kept in the service under a drawn state (untyped and typed)', () => {
    const files = app(`import { FastifyInstance } from 'fastify';
import { LoginController } from './controller';

export async function loginRoutes(fastify: FastifyInstance) {
  const controller = new LoginController();
  fastify.get('/start', async (request, reply) => controller.start(request, reply));
  fastify.get('/callback', async (request, reply) => controller.callback(request, reply));
}
`);
    const expected = ['6:11 no-in-memory-session: `pendingStates` holds per-user state in this process; it is written by GET /auth/start (src/login/routes.ts:6). A second instance will not see it.'];
    expect(untyped(files, 'src/login/service.ts')).toEqual(expected);
    expect(typed(files, 'src/login/service.ts')).toEqual(expected);
  });

  it('quiet: a plugin that makes a controller for each request', () => {
    const files = app(`import { FastifyInstance } from 'fastify';
import { LoginController } from './controller';

export async function loginRoutes(fastify: FastifyInstance) {
  fastify.get('/start', async (request, reply) => new LoginController().start(request, reply));
  fastify.get('/callback', async (request, reply) => new LoginController().callback(request, reply));
}
`);
    expect(untyped(files, 'src/login/service.ts')).toEqual([]);
    expect(typed(files, 'src/login/service.ts')).toEqual([]);
  });

  it('quiet: a function handed to another register than a plugin host (it registers nothing on its parameter)', () => {
    const files = app(`import { FastifyInstance } from 'fastify';
import { LoginController } from './controller';

const hooks = { register(make: () => unknown) { return make; } };
hooks.register(() => new LoginController());

export async function loginRoutes(fastify: FastifyInstance) {
  fastify.get('/start', async (request, reply) => new LoginController().start(request, reply));
}
`);
    expect(untyped(files, 'src/login/service.ts')).toEqual([]);
    expect(typed(files, 'src/login/service.ts')).toEqual([]);
  });

  it('quiet: a key a route of the plugin draws for each credential it stores (the plugin runs at start-up, its handlers on requests)', () => {
    const files = {
      ...app(`import { FastifyInstance } from 'fastify';
import { CredentialsService } from './service';

export async function loginRoutes(fastify: FastifyInstance) {
  const credentials = new CredentialsService();
  fastify.post('/credentials', async (request) => credentials.create(String(request.body)));
  fastify.post('/credentials/rotate', async (request) => {
    const secretKey = crypto.randomUUID();
    return credentials.store(String(request.body), secretKey);
  });
}
`),
      'src/login/service.ts': `import crypto from 'node:crypto';
import { Pool } from 'pg';

const pool = new Pool();

export class CredentialsService {
  async create(tenant: string) {
    const secretKey = crypto.randomBytes(64).toString('hex');
    return this.store(tenant, secretKey);
  }

  async store(tenant: string, secretKey: string) {
    await pool.query('INSERT INTO credentials (tenant, secret) VALUES ($1, $2)', [tenant, secretKey]);
    return { secretKey };
  }
}
`,
    };
    expect(untyped(files, 'src/login/service.ts')).toEqual([]);
    expect(typed(files, 'src/login/service.ts')).toEqual([]);
    expect(untyped(files, 'src/login/routes.ts')).toEqual([]);
    expect(typed(files, 'src/login/routes.ts')).toEqual([]);
  });
});
