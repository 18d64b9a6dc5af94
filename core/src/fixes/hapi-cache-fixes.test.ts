import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// hapi's server methods cached in the server's default cache (catbox-memory, one per process): the
// server is given a Redis provider as its default cache where it is created. catbox-memory already
// keeps each value as JSON text, as catbox-redis does, so what the method returns reads back the same.

const MACHINES_JS = `'use strict';

const Db = require('../lib/db');

const getMachine = async (id) => {
    const { rows } = await Db.query('SELECT id, name, status FROM machines WHERE id = $1', [id]);
    return rows[0] || null;
};

exports.plugin = {
    name: 'machines',
    register: (server) => {
        server.method('getMachine', getMachine, { cache: { expiresIn: 10 * 60 * 1000, generateTimeout: 2000 } });
        server.route({ method: 'GET', path: '/machines/{id}', handler: (request) => server.methods.getMachine(request.params.id) });
        server.route({
            method: 'POST',
            path: '/machines/{id}/status',
            handler: async (request) => {
                await Db.query('UPDATE machines SET status = $1 WHERE id = $2', [request.payload.status, request.params.id]);
                await server.methods.getMachine.cache.drop(request.params.id);
                return { ok: true };
            }
        });
    }
};
`;

const SERVER_JS = `'use strict';

const Hapi = require('@hapi/hapi');
const Config = require('./config');

const init = async () => {

    const server = Hapi.server({
        port: Config.port,
        host: '0.0.0.0'
    });
    await server.register(require('./plugins/machines'));
    await server.start();
};

init();
`;

const project = (server: string, extra: Record<string, string> = {}): Record<string, string> => ({
  [`${ROOT}/server.js`]: server,
  [`${ROOT}/plugins/machines.js`]: MACHINES_JS,
  [`${ROOT}/lib/db.js`]: "module.exports = { query: async () => ({ rows: [] }) };\n",
  [`${ROOT}/config.js`]: 'module.exports = { port: 3000 };\n',
  ...extra,
});
const MACHINES = `${ROOT}/plugins/machines.js`;

describe("planFixes: a hapi server method cached in the server's default cache", () => {
  it('CommonJS: the server is given @hapi/catbox-redis as its default cache where it is created, and the finding goes', () => {
    const files = project(SERVER_JS);
    const plan = movePlan(files, 'no-process-local-cache', MACHINES);
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/server.js`]).toBe(`'use strict';

const Hapi = require('@hapi/hapi');
const Config = require('./config');
const { Engine: CatboxRedis } = require('@hapi/catbox-redis');

const init = async () => {

    const server = Hapi.server({
        cache: [{ provider: { constructor: CatboxRedis, options: { url: process.env.REDIS_URL || 'redis://127.0.0.1:6379', partition: 'hapi-cache' } } }],
        port: Config.port,
        host: '0.0.0.0'
    });
    await server.register(require('./plugins/machines'));
    await server.start();
};

init();
`);
    expect(fixed[MACHINES]).toBe(MACHINES_JS);
    expect(plan.dependencies).toEqual([{ name: '@hapi/catbox-redis', version: '7.0.2' }]);
    expect(plan.createFiles).toEqual([]);
    expect(countFindings(fixed, 'no-process-local-cache')).toBe(0);
  });

  it('TypeScript ES modules: `new Server()` with no options, or options on one line', () => {
    const server = (creation: string) => `import { Server } from '@hapi/hapi';
import { plugin } from './plugins/machines';

export async function start(): Promise<void> {
  const server = ${creation};
  await server.register(plugin);
  await server.start();
}
`;
    const machines = MACHINES_JS.replace("'use strict';\n\n", '').replace("const Db = require('../lib/db');", "import Db from '../lib/db';").replace('const getMachine = async (id) =>', 'const getMachine = async (id: string) =>').replace('exports.plugin = {', 'export const plugin = {').replace('register: (server) =>', 'register: (server: any) =>').replace(/\(request\) =>/g, '(request: any) =>');
    const files = (creation: string) => ({ [`${ROOT}/src/server.ts`]: server(creation), [`${ROOT}/src/plugins/machines.ts`]: machines, [`${ROOT}/src/lib/db.ts`]: 'export default { query: async (text: string, values: unknown[]) => ({ rows: [] as any[] }) };\n' });
    const fixedWith = (creation: string) => {
      const input = files(creation);
      return applyPlan(input, movePlan(input, 'no-process-local-cache', `${ROOT}/src/plugins/machines.ts`))[`${ROOT}/src/server.ts`];
    };
    expect(fixedWith('new Server()')).toBe(`import { Server } from '@hapi/hapi';
import { plugin } from './plugins/machines';
import { Engine as CatboxRedis } from '@hapi/catbox-redis';

export async function start(): Promise<void> {
  const server = new Server({ cache: [{ provider: { constructor: CatboxRedis, options: { url: process.env.REDIS_URL || 'redis://127.0.0.1:6379', partition: 'hapi-cache' } } }] });
  await server.register(plugin);
  await server.start();
}
`);
    expect(fixedWith('new Server({ port: 3000 })')).toContain("  const server = new Server({ cache: [{ provider: { constructor: CatboxRedis, options: { url: process.env.REDIS_URL || 'redis://127.0.0.1:6379', partition: 'hapi-cache' } } }], port: 3000 });\n");
  });

  it('a server a test or a script makes is not the one that serves', () => {
    const files = project(SERVER_JS, { [`${ROOT}/test/machines.test.js`]: "const Hapi = require('@hapi/hapi');\nconst server = Hapi.server();\nserver.register(require('../plugins/machines'));\n" });
    expect(applyPlan(files, movePlan(files, 'no-process-local-cache', MACHINES))[`${ROOT}/server.js`]).toContain('        cache: [{ provider: { constructor: CatboxRedis,');
  });

  it('refuses, saying where and what to write: no server in the project, two servers, caches already given, a method returning a Buffer, options made elsewhere', () => {
    const reason = (files: Record<string, string>) => planFirst(files, 'no-process-local-cache', MACHINES).refused?.reason;
    const pluginOnly = Object.fromEntries(Object.entries(project(SERVER_JS)).filter(([name]) => name !== `${ROOT}/server.js`));
    expect(reason(pluginOnly)).toBe("no `Hapi.server(…)` in the project creates the server whose default cache keeps `getMachine`'s results: give that server a Redis provider (`cache: [{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }]`) where it is created");
    expect(reason(project(SERVER_JS, { [`${ROOT}/admin.js`]: "const Hapi = require('@hapi/hapi');\nconst admin = Hapi.server({ port: 3001 });\nadmin.register(require('./plugins/machines'));\n" }))).toBe("hapi servers are created in 2 places (server.js:8, admin.js:2): give the one that serves the requests a Redis provider as its default cache (`cache: [{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }]`)");
    expect(reason(project(SERVER_JS.replace("host: '0.0.0.0'", "host: '0.0.0.0',\n        cache: [{ name: 'shared', provider: require('@hapi/catbox-memory') }]")))).toBe("the server is given caches where it is created (server.js:11): make the one `getMachine` uses (the one with no name, the default) a Redis provider, `{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }`");
    // A method that returns a Buffer: catbox-memory keeps it as it is, Redis would give back JSON of its bytes.
    const badge = MACHINES_JS.replace("return rows[0] || null;", "return Buffer.from(JSON.stringify(rows[0] || null));");
    expect(reason({ ...project(SERVER_JS), [MACHINES]: badge })).toBe("`getMachine` returns a Buffer (plugins/machines.js:13), which catbox-memory keeps as it is and a Redis provider would give back as JSON: return plain data (a string, the bytes in base64) and then give the server a Redis provider where it is created (`cache: [{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }]`)");
    expect(reason(project(SERVER_JS.replace("Hapi.server({\n        port: Config.port,\n        host: '0.0.0.0'\n    });", 'Hapi.server(Config.server);')))).toBe("the server's options (server.js:8) are not written where it is created, so the fix cannot add a Redis provider to them: add `cache: [{ provider: { constructor: require('@hapi/catbox-redis').Engine, options: { url: process.env.REDIS_URL } } }]` there");
  });
});
