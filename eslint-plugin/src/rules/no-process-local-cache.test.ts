import { readFileSync } from 'node:fs';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { createTypedRuleTester, createUntypedRuleTester, fixturePath } from '../testing/ruleTester';
import type { StatelessRuleOptions } from '../util/ruleFromDefinition';
import rule from './no-process-local-cache';

type Options = StatelessRuleOptions<'no-process-local-cache'>;
type MessageIds = 'cacheInMemory' | 'cacheLibraryInMemory' | 'responseCacheInMemory';

// Code starts with a newline, so the first line of code is line 2. Untyped cases lint `file.ts` at
// the repository root; typed cases lint fixtures/file.ts. Routes are named by the path of their
// file relative to the project root (the nearest package.json).

const FOREVER = 'until this process restarts';
const UNTIL_EVICTED = 'until it is evicted or this process restarts';

/** A module memo of aggregates with a five-minute hit check in its get helper: quiet alone, reported once something clears it early. */
const STATS_CACHE = `
import express from 'express';
import { aggregate } from './stats';

const cache = new Map<string, { timestamp: number; data: unknown }>();
const CACHE_DURATION = 5 * 60 * 1000;

function getFromCache(key: string) {
  const cached = cache.get(key);
  if (cached && Date.now() - cached.timestamp < CACHE_DURATION) return cached.data;
  cache.delete(key);
  return null;
}

function setCache(key: string, data: unknown) {
  cache.set(key, { timestamp: Date.now(), data });
}

const app = express();
app.get('/stats', async (req, res) => {
  const hit = getFromCache('stats');
  if (hit) return res.json(hit);
  const data = await aggregate();
  setCache('stats', data);
  res.json(data);
});
`;

/** Tenant settings loaded into node-cache for ten minutes: quiet alone, reported once something deletes an entry early. */
const SETTINGS_CACHE = `
import Fastify from 'fastify';
import NodeCache from 'node-cache';
import { loadSettings } from './settings';

const fastify = Fastify();
const settingsCache = new NodeCache({ stdTTL: 600 });

fastify.get('/tenants/:id/settings', async (request) => {
  const { id } = request.params as { id: string };
  const cached = settingsCache.get(id);
  if (cached) return cached;
  const settings = await loadSettings(id);
  settingsCache.set(id, settings);
  return settings;
});
`;

/** A memo class whose TTL is a constructor parameter with a default (`ttl = ${seconds}` seconds), made once and dropped on a write. */
const memoClass = (seconds: number): string => `
import express from 'express';
import { db } from './db';

class MemoryCache<T> {
  private store: Map<string, { expires: number; obj: T }>;
  private ttl: number;
  constructor(private load: (key: string) => Promise<T>, ttl: number = ${seconds}) {
    this.store = new Map();
    this.ttl = ttl * 1000;
  }
  async get(key: string): Promise<T> {
    const existing = this.store.get(key);
    if (existing && existing.expires > Date.now()) return existing.obj;
    const obj = await this.load(key);
    this.store.set(key, { expires: Date.now() + this.ttl, obj });
    return obj;
  }
  forget(key: string): void {
    this.store.delete(key);
  }
}

const connections = new MemoryCache((id) => db.connections.findOne(id));
const app = express();
app.get('/sso/:id', async (req, res) => { res.json(await connections.get(req.params.id)); });
app.put('/sso/:id', async (req, res) => {
  await db.connections.update(req.params.id, req.body);
  connections.forget(req.params.id);
  res.end();
});
`;

/** A field a getter loads on first use, and a request that saves the plans and drops it (the look-alike keeps it). */
const PLAN_STORE_APP = `
import express from 'express';
import { db } from './services';

class PlanStore {
  private _plans?: unknown[];

  async plans() {
    if (!this._plans) this._plans = await db.plans.findAll();
    return this._plans;
  }

  invalidate() {
    this._plans = undefined;
  }
}

const planStore = new PlanStore();
const app = express();
app.get('/plans', async (req, res) => res.json(await planStore.plans()));
app.put('/plans/:id', async (req, res) => {
  await db.plans.update(req.params.id, req.body);
  planStore.invalidate();
  res.sendStatus(204);
});
`;

/** Cases that need no file name: run untyped and typed, which must agree within one file. */
const HAPI_MACHINES = (cache: string) => `
import Boom from '@hapi/boom';
import { db } from './db';

const getMachine = async (id: number) => (await db.query('SELECT * FROM machines WHERE id = $1', [id])).rows[0];

export const plugin = {
  name: 'machines',
  register: (server: any) => {
    server.method('getMachine', getMachine, { cache: ${cache} });
    server.route({ method: 'GET', path: '/machines/{id}', handler: async (request: any) => (await server.methods.getMachine(request.params.id)) ?? Boom.notFound() });
    server.route({
      method: 'POST',
      path: '/machines/{id}/status',
      handler: async (request: any) => {
        await db.query('UPDATE machines SET status = $1 WHERE id = $2', [request.payload.status, request.params.id]);
        await server.methods.getMachine.cache.drop(request.params.id);
        return { ok: true };
      },
    });
  },
};
`;

const sameFileInvalid = (file: string): InvalidTestCase<MessageIds, Options>[] => [
  {
    name: 'sign-in settings loaded from the database into one variable and dropped by the route that saves them: a cache',
    code: `
import express from 'express';
import * as oidc from 'openid-client';
import { db } from './db';

let cachedConfig: unknown = null;

async function getConfig(issuer: string, clientId: string): Promise<unknown> {
  if (cachedConfig) return cachedConfig;
  try {
    cachedConfig = await db.settings.findOne({ key: 'sso' });
    return cachedConfig;
  } catch (err) {
    cachedConfig = null;
    throw err;
  }
}

const app = express();
app.get('/auth/sso/authorize', async (req, res) => {
  res.json({ ok: Boolean(await getConfig(String(process.env.ISSUER), String(process.env.CLIENT_ID))) });
});
app.put('/settings/sso', (req, res) => {
  cachedConfig = null;
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 5, endColumn: 17, data: { name: 'cachedConfig', route: `GET /auth/sso/authorize (${file}:20) and 1 other route`, staleness: FOREVER } }],
  },
  {
    name: 'a module variable loaded from a file, changed field by field by a settings route that saves it whole: a copy of that file, whatever its members are called',
    code: `
import express from 'express';
import fs from 'node:fs';

class PanelConfig { httpPort = 23333; loginCheckIp = true; operationLogRecordUser = true; }

let panelConfig: PanelConfig | null = null;

function loadConfig(): PanelConfig | null {
  return fs.existsSync('config.json') ? Object.assign(new PanelConfig(), JSON.parse(fs.readFileSync('config.json', 'utf-8'))) : null;
}

export function initPanelConfig(): void {
  panelConfig = loadConfig();
  if (!panelConfig) panelConfig = new PanelConfig();
}

function storeConfig(config: PanelConfig): void {
  fs.writeFileSync('config.json', JSON.stringify(config));
}

initPanelConfig();
const app = express();
app.put('/setting', express.json(), (req, res) => {
  if (panelConfig) {
    panelConfig.httpPort = req.body.httpPort;
    panelConfig.loginCheckIp = Boolean(req.body.loginCheckIp);
    panelConfig.operationLogRecordUser = Boolean(req.body.operationLogRecordUser);
    storeConfig(panelConfig);
  }
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 7, column: 5, endColumn: 16, data: { name: 'panelConfig', route: `PUT /setting (${file}:24)`, staleness: FOREVER } }],
  },
  {
    name: 'the same token memo filled from a URL the settings give: data of a service the app changes',
    code: `
import express from 'express';
import { settings } from './settings';

const TOKEN_URL = 'https://auth.partner.example/oauth/token';
let accessToken: string | undefined;

async function partnerToken(renew = false): Promise<string | undefined> {
  if (accessToken && !renew) return accessToken;
  const grant = await fetch(settings.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) }).then((r) => r.json());
  if (grant?.access_token) accessToken = grant.access_token;
  return accessToken;
}

const app = express();
app.get('/shipments/:id', async (req, res) => {
  let token = await partnerToken();
  let answer = await fetch('https://api.partner.example/shipments/' + encodeURIComponent(req.params.id), { headers: { authorization: 'Bearer ' + token } });
  if (answer.status === 401) {
    token = await partnerToken(true);
    answer = await fetch('https://api.partner.example/shipments/' + encodeURIComponent(req.params.id), { headers: { authorization: 'Bearer ' + token } });
  }
  res.json(await answer.json());
  void settings;
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 5, endColumn: 16, data: { name: 'accessToken', route: `GET /shipments/:id (${file}:16)`, staleness: FOREVER } }],
  },
  {
    name: 'a settings file loaded into a field, changed in place by a route and saved back whole through a method of its class: a copy of that file',
    code: `
import express from 'express';
import fs from 'node:fs';

class SettingsManager {
  current: { providers: string[] } = { providers: [] };

  constructor() {
    if (fs.existsSync('settings.json')) this.current = JSON.parse(fs.readFileSync('settings.json', 'utf-8'));
  }

  private persist(): void {
    fs.writeFileSync('settings.json', JSON.stringify(this.current, null, 2));
  }

  addProvider(url: string): void {
    this.current.providers.push(url);
    this.persist();
  }
}

const settings = new SettingsManager();
const app = express();
app.post('/providers', express.json(), (req, res) => {
  settings.addProvider(req.body.url);
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 3, endColumn: 10, data: { name: 'current', route: `POST /providers (${file}:24)`, staleness: FOREVER } }],
  },
  {
    name: 'an object a route replaces whole through a review function, then saves under its own name with setConfig: a copy of that setting',
    code: `
import express from 'express';
import { setConfig } from './services';

interface Node { name: string; children?: Node[] }

let tree: Node = { name: '/' };

async function review(data = tree): Promise<void> {
  await Promise.resolve(data.children?.length);
  tree = data;
}

const app = express();
app.post('/tree', async (_req, res) => {
  await review();
  await setConfig({ tree });
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 7, column: 5, endColumn: 9, data: { name: 'tree', route: `POST /tree (${file}:15)`, staleness: FOREVER } }],
  },
  {
    name: 'BullMQ: queues a same-file factory opens per region, registered by a route from the region it saved, are a copy of that setting',
    code: `
import express from 'express';
import { Queue, Worker } from 'bullmq';
import { db } from './services';

function openRegion(region: string, concurrency: number) {
  return { queue: new Queue(region), worker: new Worker(region, async () => undefined, { concurrency }) };
}

const regionQueues = new Map<string, Queue>();

function addRegion(region: string, concurrency: number) {
  const { queue } = openRegion(region, concurrency);
  regionQueues.set(region, queue);
}

const app = express();
app.post('/regions', async (req, res) => {
  const saved = await db.regions.create(req.body);
  addRegion(saved.name, saved.concurrency);
  res.json(saved);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 10, column: 7, endColumn: 19, data: { name: 'regionQueues', route: `POST /regions (${file}:18)`, staleness: FOREVER } }],
  },
  {
    name: 'a keyed map preloaded outside requests with the rows a store load returned, patched by the route that saves a row',
    code: `
import express from 'express';
import { db } from './services';

const routesByHost = new Map<string, { siteId: string; theme: string }>();

async function preloadRoutes() {
  const sites = await db.sites.findMany();
  sites.forEach((site) => routesByHost.set(site.host, { siteId: site.id, theme: site.theme }));
}
void preloadRoutes();

function rememberRoute(host: string, siteId: string, theme: string) {
  routesByHost.set(host, { siteId, theme });
}

const app = express();
app.post('/sites', async (req, res) => {
  const site = await db.sites.create(req.body);
  rememberRoute(site.host, site.id, site.theme);
  res.json(site);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 5, column: 7, endColumn: 19, data: { name: 'routesByHost', route: `POST /sites (${file}:18)`, staleness: FOREVER } }],
  },
  {
    name: 'a settings document one setter replaces: at start-up with what it read from the file, on save with a copy of what the route wrote there',
    code: `
import express from 'express';
import { readJsonSync, writeJsonSync } from 'fs-extra';

class SettingsService {
  readonly path = 'settings.json';
  settings: { theme?: string };

  constructor() {
    const stored = readJsonSync(this.path);
    this.apply(stored);
  }

  apply(settings: { theme?: string }) {
    this.settings = settings;
  }
}

const settingsService = new SettingsService();
const app = express();
app.put('/settings', (req, res) => {
  const settings = { theme: String(req.body.theme) };
  writeJsonSync(settingsService.path, settings);
  settingsService.apply(JSON.parse(JSON.stringify(settings)));
  res.json(settingsService.settings);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 7, column: 3, endColumn: 11, data: { name: 'settings', route: `PUT /settings (${file}:21)`, staleness: FOREVER } }],
  },
  {
    name: 'look-alike of a stated TTL: the same price memo serves a hit whatever its age',
    code: `
import express from 'express';
import { db } from './services';

const app = express();
const maxAgeMs = Number(process.env.PRICE_TTL_MS);
const prices = new Map<string, { value: number; storedAt: number }>();

async function priceOf(symbol: string) {
  const now = Date.now();
  const hit = prices.get(symbol);
  if (hit) return hit.value;
  const value = await db.prices.find(symbol);
  prices.set(symbol, { value, storedAt: now });
  return value;
}

app.get('/prices/:symbol', async (req, res) => res.json(await priceOf(req.params.symbol)));
`,
    errors: [{ messageId: 'cacheInMemory', line: 7, column: 7, endColumn: 13, data: { name: 'prices', route: `GET /prices/:symbol (${file}:18)`, staleness: FOREVER } }],
  },
  {
    name: "passport: API keys a bound method of the service's own memoizes from the database, run as a JWT strategy's verify",
    code: `
import passport from 'passport';
import { Strategy as JwtStrategy, ExtractJwt } from 'passport-jwt';
import { db } from './services';

const keys = new Map<string, { active: boolean; user: object }>();

class TokenService {
  async verifyApiKey(payload: { keyId: string }, done: (error: unknown, user?: object | false) => void) {
    let key = keys.get(payload.keyId);
    if (!key) {
      key = await db.apiKeys.findById(payload.keyId);
      keys.set(payload.keyId, key);
    }
    done(null, key.active ? key.user : false);
  }
}

const tokens = new TokenService();
passport.use(new JwtStrategy({ secretOrKey: 'k', jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken() }, tokens.verifyApiKey.bind(tokens)));
`,
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 7, endColumn: 11, data: { name: 'keys', route: `passport sign-in (passport-jwt strategy's verify, ${file}:20)`, staleness: FOREVER } }],
  },
  {
    name: 'Express: a search index a helper handed req.app rebuilds from the database after an edit, kept on the app itself',
    code: `
import express, { type Application } from 'express';
import Fuse from 'fuse.js';
import { db } from './services';

async function indexRecipes(app: Application & { recipeIndex?: Fuse<unknown> }) {
  const recipes = await db.recipes.findAll();
  const recipeIndex = new Fuse(recipes, { keys: ['title'] });
  app.recipeIndex = recipeIndex;
}

const app = express();
app.put('/recipes/:id', async (req, res) => {
  await db.recipes.update(req.params.id, req.body);
  await indexRecipes(req.app);
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 9, column: 7, endColumn: 18, data: { name: 'app.recipeIndex', route: `PUT /recipes/:id (${file}:13)`, staleness: FOREVER } }],
  },
  {
    name: 'a field a getter loads on first use, dropped by the request that saved the plans',
    code: PLAN_STORE_APP,
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 11, endColumn: 17, data: { name: '_plans', route: `PUT /plans/:id (${file}:21)`, staleness: FOREVER } }],
  },
  {
    name: 'event bus: a signal without data, whose listener reloads the plans a request just changed',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';
import { db } from './services';

const bus = new EventEmitter();
let plans: unknown[] = [];

bus.on('plans-changed', async () => {
  plans = await db.plans.findAll();
});

const app = express();
app.get('/plans', (req, res) => res.json(plans));
app.put('/plans/:id', async (req, res) => {
  await db.plans.update(req.params.id, req.body);
  bus.emit('plans-changed');
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 7, column: 5, endColumn: 10, data: { name: 'plans', route: `PUT /plans/:id (${file}:15)`, staleness: FOREVER } }],
  },
  {
    name: 'event bus: the listener of an event the route emits with the saved row keeps the row',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';
import { db } from './services';

const bus = new EventEmitter();
const posts = new Map<string, unknown>();

bus.on('post-saved', function remember(post: { id: string }) {
  posts.set(post.id, post);
});

const app = express();
app.post('/posts', async (req, res) => {
  const post = await db.insert(req.body);
  bus.emit('post-saved', post);
  res.json(post);
});
app.get('/posts/:id', (req, res) => res.json(posts.get(req.params.id)));
`,
    errors: [{ messageId: 'cacheInMemory', line: 7, column: 7, endColumn: 12, data: { name: 'posts', route: `POST /posts (${file}:14)`, staleness: FOREVER } }],
  },
  {
    name: 'Express: a memo class whose constructor defaults its TTL to ten minutes, and a write that drops an entry before then',
    code: memoClass(600),
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 11, endColumn: 16, data: { name: 'store', route: `GET /sso/:id (${file}:26) and 1 other route`, staleness: 'for up to 10 minutes (its TTL)' } }],
  },
  {
    name: 'NestJS: CacheModule.register() with its default in-memory store, filled by a gateway (reported at the registration)',
    code: `
import { Inject, Module } from '@nestjs/common';
import { CacheModule, CACHE_MANAGER } from '@nestjs/cache-manager';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { maps } from './maps';

@WebSocketGateway()
export class MapsGateway {
  constructor(@Inject(CACHE_MANAGER) private cacheManager: { set(key: string, value: unknown, ttl?: number): Promise<void> }) {}
  @SubscribeMessage('join')
  async join(client: { id: string }, mapId: string) {
    await this.cacheManager.set(client.id, await maps.find(mapId), 86_400_000);
  }
}

@Module({ imports: [CacheModule.register()], providers: [MapsGateway] })
export class MapModule {}
`,
    errors: [
      {
        messageId: 'cacheLibraryInMemory',
        line: 16,
        column: 21,
        endColumn: 43,
        data: { library: '@nestjs/cache-manager', name: 'CacheModule', route: `WebSocket message "join" (MapsGateway.join, ${file}:10)`, staleness: 'for up to 1 day (its TTL)' },
      },
    ],
  },
  {
    name: "hapi: a plugin's server method cached for ten minutes in the default cache (catbox-memory), its entry dropped after a write (reported at server.method)",
    code: HAPI_MACHINES('{ expiresIn: 10 * 60 * 1000, generateTimeout: 2000 }'),
    errors: [
      {
        messageId: 'cacheLibraryInMemory',
        line: 10,
        column: 5,
        endColumn: 109,
        data: { library: '@hapi/hapi', name: 'getMachine', route: `GET /machines/{id} (${file}:11)`, staleness: 'for up to 10 minutes (its TTL)' },
      },
    ],
  },
  {
    name: 'NestJS: a cache-manager 6 stores list that is Keyv over memory unless Redis is configured, filled by a controller; the memory store\'s own TTL',
    code: `
import { Controller, Get, Inject, Module, Param } from '@nestjs/common';
import { CacheModule, CACHE_MANAGER } from '@nestjs/cache-manager';
import KeyvRedis from '@keyv/redis';
import { Keyv } from 'keyv';
import { CacheableMemory } from 'cacheable';
import { catalog } from './catalog';

@Controller('products')
export class ProductsController {
  constructor(@Inject(CACHE_MANAGER) private cache: { set(key: string, value: unknown): Promise<void> }) {}
  @Get(':sku')
  async show(@Param('sku') sku: string) {
    const product = await catalog.find(sku);
    await this.cache.set(sku, product);
    return product;
  }
}

@Module({
  imports: [
    CacheModule.registerAsync({
      useFactory: () => ({
        stores: [process.env.REDIS_URL ? new KeyvRedis(process.env.REDIS_URL) : new Keyv({ store: new CacheableMemory({ ttl: 3_600_000 }) })],
      }),
    }),
  ],
  controllers: [ProductsController],
})
export class CatalogModule {}
`,
    errors: [
      {
        messageId: 'cacheLibraryInMemory',
        line: 22,
        column: 5,
        endLine: 26,
        endColumn: 7,
        data: { library: '@nestjs/cache-manager', name: 'CacheModule', route: `GET /products/:sku (ProductsController.show, ${file}:12)`, staleness: 'for up to 1 hour (its TTL)' },
      },
    ],
  },
  {
    name: 'Express: records a caller loads and hands to a setter are a cache, not session state',
    code: `
import express from 'express';
import { Boards } from './boards';

const app = express();
const loadedBoards = new Map<string, Promise<object>>();

function setLoadedBoard(name: string, board: Promise<object>) {
  loadedBoards.set(name, board);
}

function getBoard(name: string) {
  const loaded = loadedBoards.get(name);
  if (loaded) return loaded;
  const board = Boards.load(name).then((data) => ({ ...data, openedAt: Date.now() }));
  setLoadedBoard(name, board);
  return board;
}

app.get('/boards/:name', async (req, res) => res.json(await getBoard(req.params.name)));
`,
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 7, endColumn: 19, data: { name: 'loadedBoards', route: `GET /boards/:name (${file}:20)`, staleness: FOREVER } }],
  },
  {
    name: 'Koa: a value written through to the database and kept in a module Map (reads prefer the Map)',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import { secretsDb } from './db';

const app = new Koa();
const router = new Router();
const secrets = new Map<string, string>();

function setSecret(name: string, value: string) {
  const result = secretsDb.set(name, value);
  if (result.changes === 1) secrets.set(name, value);
  return result;
}

router.post('/secrets/:name', (ctx) => {
  ctx.body = setSecret(ctx.params.name, String(ctx.request.body));
});
app.use(router.routes());
`,
    errors: [{ messageId: 'cacheInMemory', line: 8, column: 7, endColumn: 14, data: { name: 'secrets', route: `POST /secrets/:name (${file}:16)`, staleness: FOREVER } }],
  },
  {
    name: 'Fastify: a sweep every minute of entries older than a minute serves them for up to two minutes; the setter forgets the key on this instance only',
    code: `
import Fastify from 'fastify';
import { R } from './db';

const fastify = Fastify();

class Settings {
  static cacheList: Record<string, { value: unknown; timestamp: number }> = {};
  static cleaner: ReturnType<typeof setInterval> | null = null;
  static async get(key: string) {
    if (!Settings.cleaner) {
      Settings.cleaner = setInterval(() => {
        for (const k in Settings.cacheList) if (Date.now() - Settings.cacheList[k].timestamp > 60 * 1000) delete Settings.cacheList[k];
      }, 60 * 1000);
    }
    if (key in Settings.cacheList) return Settings.cacheList[key].value;
    const value = JSON.parse(await R.getCell('SELECT value FROM setting WHERE key = ?', [key]));
    Settings.cacheList[key] = { value, timestamp: Date.now() };
    return value;
  }
  static async set(key: string, value: unknown) {
    await R.exec('UPDATE setting SET value = ? WHERE key = ?', [JSON.stringify(value), key]);
    delete Settings.cacheList[key];
  }
}

fastify.get('/settings/:key', async (request) => Settings.get((request.params as { key: string }).key));
`,
    errors: [{ messageId: 'cacheInMemory', line: 8, column: 10, endColumn: 19, data: { name: 'cacheList', route: `GET /settings/:key (${file}:27)`, staleness: 'for up to 2 minutes (its TTL)' } }],
  },
  {
    name: 'Express: a Map filled from the database after a miss (cache-aside), deleted on write only on this instance',
    code: `
import express from 'express';
import { db } from './db';

const app = express();
const usersById = new Map<string, unknown>();

app.get('/users/:id', async (req, res) => {
  const hit = usersById.get(req.params.id);
  if (hit) return res.json(hit);
  const user = await db.user.findUnique({ where: { id: req.params.id } });
  usersById.set(req.params.id, user);
  res.json(user);
});

app.put('/users/:id', async (req, res) => {
  await db.user.update({ where: { id: req.params.id }, data: req.body });
  usersById.delete(req.params.id);
  res.sendStatus(204);
});
`,
    errors: [
      {
        messageId: 'cacheInMemory',
        line: 6,
        column: 7,
        endLine: 6,
        endColumn: 16,
        data: { name: 'usersById', route: `GET /users/:id (${file}:8) and 1 other route`, staleness: FOREVER },
      },
    ],
  },
  {
    name: 'Express: lru-cache without a ttl, filled with a profile lookup (reported at new LRUCache)',
    code: `
import express from 'express';
import { LRUCache } from 'lru-cache';
import { profiles } from './services';

const app = express();
const profileCache = new LRUCache<string, object>({ max: 1000 });

app.get('/profiles/:id', async (req, res) => {
  let profile = profileCache.get(req.params.id);
  if (!profile) {
    profile = await profiles.findById(req.params.id);
    profileCache.set(req.params.id, profile);
  }
  res.json(profile);
});
`,
    errors: [
      {
        messageId: 'cacheLibraryInMemory',
        line: 7,
        column: 22,
        endLine: 7,
        endColumn: 65,
        data: { library: 'lru-cache', name: 'profileCache', route: `GET /profiles/:id (${file}:9)`, staleness: UNTIL_EVICTED },
      },
    ],
  },
  {
    name: 'NestJS: a field the constructor parameter declares, reloaded from the database by a route',
    code: `
import { Controller, Inject, Injectable, Patch } from '@nestjs/common';
import { db } from './db';

@Injectable()
export class FlagService {
  constructor(@Inject('FLAGS') private flags: object[]) {}
  async reload() {
    this.flags = await db.flag.findMany();
  }
}

@Controller('flags')
export class FlagController {
  constructor(private readonly flagService: FlagService) {}
  @Patch() reload() { return this.flagService.reload(); }
}
`,
    errors: [
      {
        messageId: 'cacheInMemory',
        line: 7,
        column: 40,
        endLine: 7,
        endColumn: 45,
        data: { name: 'flags', route: `PATCH /flags (FlagController.reload, ${file}:16)`, staleness: FOREVER },
      },
    ],
  },
  {
    name: 'Express: apicache middleware (in-memory by default) on a route, bound once (reported at apicache.middleware)',
    code: `
import express from 'express';
import apicache from 'apicache';
import { statusPages } from './services';

const app = express();
const cache = apicache.middleware;

app.get('/status/:slug', cache('5 minutes'), async (req, res) => {
  res.json(await statusPages.find(req.params.slug));
});
`,
    errors: [
      {
        messageId: 'responseCacheInMemory',
        line: 7,
        column: 15,
        endLine: 7,
        endColumn: 34,
        data: { library: 'apicache', name: 'cache', route: `GET /status/:slug (${file}:9)`, staleness: 'for up to 5 minutes (its TTL)' },
      },
    ],
  },
  {
    name: 'Express: apicache.options({ … }).middleware without a redisClient, for the whole app with the default hour',
    code: `
import express from 'express';
import * as apicache from 'apicache';

const app = express();
app.use(apicache.options({ headers: { 'cache-control': 'no-cache' } }).middleware());
`,
    errors: [
      {
        messageId: 'responseCacheInMemory',
        line: 6,
        column: 9,
        endLine: 6,
        endColumn: 82,
        data: { library: 'apicache', name: 'apicache.middleware', route: `\`app.use(…)\` (${file}:6)`, staleness: 'for up to 1 hour (its TTL)' },
      },
    ],
  },
  {
    name: 'Express: lru-cache whose ttl (15 minutes) is longer than maxStalenessSeconds, and whose entry a plan change drops on this instance only',
    code: `
import express from 'express';
import { LRUCache } from 'lru-cache';

const app = express();
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const plans = new LRUCache<string, object>({ max: 100, ttl: FIFTEEN_MINUTES });

app.get('/accounts/:id/plan', async (req, res) => {
  const plan = plans.get(req.params.id) ?? (await fetch(\`https://billing.internal/plans/\${req.params.id}\`).then((r) => r.json()));
  plans.set(req.params.id, plan);
  res.json(plan);
});

export function onPlanChanged(accountId: string) {
  plans.delete(accountId);
}
`,
    errors: [
      {
        messageId: 'cacheLibraryInMemory',
        line: 7,
        column: 15,
        endColumn: 79,
        data: { library: 'lru-cache', name: 'plans', route: `GET /accounts/:id/plan (${file}:9)`, staleness: 'for up to 15 minutes (its TTL)' },
      },
    ],
  },
  {
    name: 'Express: lru-cache with a ten-minute ttl whose save route writes the new profile through on this instance only',
    code: `
import express from 'express';
import { LRUCache } from 'lru-cache';
import { profiles } from './db';

const app = express();
const profileCache = new LRUCache<string, object>({ max: 1000, ttl: 10 * 60 * 1000 });

app.get('/profiles/:id', async (req, res) => {
  const profile = profileCache.get(req.params.id) ?? (await profiles.findById(req.params.id));
  profileCache.set(req.params.id, profile);
  res.json(profile);
});
app.put('/profiles/:id', async (req, res) => {
  await profiles.update(req.params.id, req.body);
  profileCache.set(req.params.id, req.body);
  res.end();
});
`,
    errors: [
      {
        messageId: 'cacheLibraryInMemory',
        line: 7,
        column: 22,
        endColumn: 86,
        data: { library: 'lru-cache', name: 'profileCache', route: `GET /profiles/:id (${file}:9) and 1 other route`, staleness: 'for up to 10 minutes (its TTL)' },
      },
    ],
  },
  {
    name: 'Koa router: an object memo filled with ??= from another service',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import { inventory } from './clients';

const app = new Koa();
const router = new Router();
const stockBySku: Record<string, number> = {};

router.get('/stock/:sku', async (ctx) => {
  stockBySku[ctx.params.sku] ??= await inventory.lookup(ctx.params.sku);
  ctx.body = { stock: stockBySku[ctx.params.sku] };
});

app.use(router.routes());
`,
    errors: [{ messageId: 'cacheInMemory', line: 8, column: 7, endColumn: 17, data: { name: 'stockBySku', route: `GET /stock/:sku (${file}:10)`, staleness: FOREVER } }],
  },
  {
    name: 'Koa router: a minifier given snippets loaded from the database: a transform is as shared as its input',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import { minify } from 'terser';
import { snippets } from './db';

const app = new Koa();
const router = new Router();
const minified = new Map<string, string>();

router.get('/snippets/:id.js', async (ctx) => {
  if (!minified.has(ctx.params.id)) minified.set(ctx.params.id, (await minify((await snippets.findById(ctx.params.id)).source)).code ?? '');
  ctx.body = minified.get(ctx.params.id);
});

app.use(router.routes());
`,
    errors: [{ messageId: 'cacheInMemory', line: 9, column: 7, endColumn: 15, data: { name: 'minified', route: `GET /snippets/:id.js (${file}:11)`, staleness: FOREVER } }],
  },
  {
    name: 'Express: settings loaded at start-up into a module variable and replaced whole by the save route',
    code: `
import express from 'express';
import { loadSettings, saveSettings } from './settings-file';

const app = express();
let settings = loadSettings();

app.get('/settings', (req, res) => res.json(settings));
app.put('/settings', async (req, res) => {
  await saveSettings(req.body);
  settings = req.body;
  res.json(settings);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 5, endColumn: 13, data: { name: 'settings', route: `PUT /settings (${file}:9)`, staleness: FOREVER } }],
  },
  {
    name: 'Fastify: a site configuration read at start-up and replaced by an admin route',
    code: `
import Fastify from 'fastify';
import { readConfig } from './config-store';

const fastify = Fastify();
let siteConfig = readConfig();

fastify.post('/admin/config', async (request) => {
  siteConfig = (request.body as { config: object }).config;
  return siteConfig;
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 5, endColumn: 15, data: { name: 'siteConfig', route: `POST /admin/config (${file}:8)`, staleness: FOREVER } }],
  },
  {
    name: 'Fastify: node-cache with stdTTL 600 seconds, forgotten on this instance when settings change',
    code: `${SETTINGS_CACHE}
export function forgetSettings(id: string) {
  settingsCache.del(id);
}
`,
    errors: [
      {
        messageId: 'cacheLibraryInMemory',
        line: 7,
        column: 23,
        endColumn: 53,
        data: { library: 'node-cache', name: 'settingsCache', route: `GET /tenants/:id/settings (${file}:9)`, staleness: 'for up to 10 minutes (its TTL)' },
      },
    ],
  },
  {
    name: 'Express: a hand-written TTL map whose TTL (5 minutes) is longer than the threshold, dropped on this instance when a rate is published',
    code: `
import express from 'express';
import { quote } from './fx';

const app = express();
const RATE_TTL_MS = 5 * 60_000;
const rates = new Map<string, { value: number; at: number }>();

app.get('/fx/:pair', async (req, res) => {
  const cached = rates.get(req.params.pair);
  if (cached && Date.now() - cached.at < RATE_TTL_MS) return res.json(cached.value);
  const value = await quote(req.params.pair);
  rates.set(req.params.pair, { value, at: Date.now() });
  res.json(value);
});

export function onRatePublished(pair: string) {
  rates.delete(pair);
}
`,
    errors: [{ messageId: 'cacheInMemory', line: 7, column: 7, endColumn: 12, data: { name: 'rates', route: `GET /fx/:pair (${file}:9)`, staleness: 'for up to 5 minutes (its TTL)' } }],
  },
  {
    name: 'Express: a cache module whose hit check (Date.now() - hit.timestamp < TTL) is in its get helper, not where it is filled, cleared on this instance by clearStats',
    code: `${STATS_CACHE}
export function clearStats() {
  cache.clear();
}
`,
    errors: [{ messageId: 'cacheInMemory', line: 5, column: 7, endColumn: 12, data: { name: 'cache', route: `GET /stats (${file}:20)`, staleness: 'for up to 5 minutes (its TTL)' } }],
  },
  {
    name: 'Express: a write-through cache of request bodies, whatever the Map is called',
    code: `
import express from 'express';

const app = express();
const productCache = new Map<string, object>();

app.put('/products/:id', (req, res) => {
  productCache.set(req.params.id, req.body);
  res.sendStatus(204);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 5, column: 7, endColumn: 19, data: { name: 'productCache', route: `PUT /products/:id (${file}:7)`, staleness: FOREVER } }],
  },
  {
    name: 'NestJS: a theme field loaded from its repository on first read and replaced by what the save route stores there (a copy of a stored document, not a session)',
    code: `
import { Body, Controller, Get, Injectable, Put } from '@nestjs/common';

interface Theme { id: number; accent: string }
declare const themes: { findOne(id: number): Promise<Theme>; save(theme: Theme): Promise<Theme> };

@Injectable()
export class ThemeService {
  private theme: Theme | undefined;

  async current(): Promise<Theme> {
    if (!this.theme) this.theme = await themes.findOne(1);
    return this.theme;
  }

  async replace(theme: Theme): Promise<void> {
    await themes.save(theme);
    this.theme = theme;
  }
}

@Controller('theme')
export class ThemeController {
  constructor(private readonly service: ThemeService) {}

  @Get()
  current() {
    return this.service.current();
  }

  @Put()
  replace(@Body() theme: Theme) {
    return this.service.replace(theme);
  }
}
`,
    errors: [
      {
        messageId: 'cacheInMemory',
        line: 9,
        column: 11,
        endColumn: 16,
        data: { name: 'theme', route: `PUT /theme (ThemeController.replace, ${file}:31)`, staleness: FOREVER },
      },
    ],
  },
  {
    name: 'NestJS: a provider field filled from a repository (cache-aside)',
    code: `
import { Controller, Get, Injectable, Param } from '@nestjs/common';

interface Customer { id: string; name: string }
declare const customers: { findOne(id: string): Promise<Customer> };

@Injectable()
export class CustomersService {
  private readonly byId = new Map<string, Customer>();

  async find(id: string): Promise<Customer> {
    const known = this.byId.get(id);
    if (known) return known;
    const customer = await customers.findOne(id);
    this.byId.set(id, customer);
    return customer;
  }
}

@Controller('customers')
export class CustomersController {
  constructor(private readonly service: CustomersService) {}

  @Get(':id')
  find(@Param('id') id: string) {
    return this.service.find(id);
  }
}
`,
    errors: [
      {
        messageId: 'cacheInMemory',
        line: 9,
        column: 20,
        endColumn: 24,
        data: { name: 'byId', route: `GET /customers/:id (CustomersController.find, ${file}:24)`, staleness: FOREVER },
      },
    ],
  },
  {
    name: 'NestJS: live documents built from rows loaded for their id and kept per id (not session state)',
    code: `
import { Controller, Get, Injectable, Param } from '@nestjs/common';

interface Board { id: string; title: string }
declare const boards: { findBoard(id: string): Promise<Board>; findShapes(id: string): Promise<string[]> };
declare function buildDocument(board: Board, shapes: string[]): { version: number };

@Injectable()
export class DocumentsService {
  private readonly documents = new Map<string, { doc: { version: number }; openedAt: number }>();

  async open(boardId: string) {
    const [board, shapes] = await Promise.all([boards.findBoard(boardId), boards.findShapes(boardId)]);
    const doc = buildDocument(board, shapes);
    this.documents.set(boardId, { doc, openedAt: Date.now() });
    return doc;
  }
}

@Controller('boards')
export class BoardsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get(':id')
  open(@Param('id') id: string) {
    return this.documents.open(id);
  }
}
`,
    errors: [
      {
        messageId: 'cacheInMemory',
        line: 10,
        column: 20,
        endColumn: 29,
        data: { name: 'documents', route: `GET /boards/:id (BoardsController.open, ${file}:24)`, staleness: FOREVER },
      },
    ],
  },
  {
    name: 'Express: a static settings table filled after a miss, swept by a setInterval started on first use (an expiry, not a lock release; the sweep adds its minute to the 10-minute age), and forgotten on this instance when a setting is saved',
    code: `
import express from 'express';
import { db } from './db';

class Settings {
  static cacheList: Record<string, { value: unknown; at: number }> = {};
  static cleaner: ReturnType<typeof setInterval> | undefined;

  static async get(key: string) {
    if (!Settings.cleaner) {
      Settings.cleaner = setInterval(() => {
        for (const k in Settings.cacheList) if (Date.now() - Settings.cacheList[k].at > 10 * 60 * 1000) delete Settings.cacheList[k];
      }, 60_000);
    }
    if (key in Settings.cacheList) return Settings.cacheList[key].value;
    const value = await db.setting.findUnique({ where: { key } });
    Settings.cacheList[key] = { value, at: Date.now() };
    return value;
  }
}

const app = express();
app.get('/settings/:key', async (req, res) => res.json(await Settings.get(req.params.key)));

export function onSettingSaved(key: string) {
  delete Settings.cacheList[key];
}
`,
    errors: [
      {
        messageId: 'cacheInMemory',
        line: 6,
        column: 10,
        endColumn: 19,
        data: { name: 'cacheList', route: `GET /settings/:key (${file}:23)`, staleness: 'for up to 11 minutes (its TTL)' },
      },
    ],
  },
  {
    name: 'Koa router: ban records keyed by IP address but loaded from the app\'s own database stay a cache of shared data',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import { bans } from './db';

const app = new Koa();
const router = new Router();
const banByIp = new Map<string, unknown>();

router.post('/signup', async (ctx) => {
  if (!banByIp.has(ctx.ip)) banByIp.set(ctx.ip, await bans.findOne({ ip: ctx.ip }));
  ctx.body = { banned: Boolean(banByIp.get(ctx.ip)) };
});

app.use(router.routes());
`,
    errors: [{ messageId: 'cacheInMemory', line: 8, column: 7, endColumn: 14, data: { name: 'banByIp', route: `POST /signup (${file}:10)`, staleness: FOREVER } }],
  },
  {
    name: 'Express: profiles fetched from a fixed host but keyed by a user id stay reported: the key is this app\'s record, not a public address',
    code: `
import express from 'express';

const app = express();
const profiles: Record<string, unknown> = {};

app.get('/users/:userId', async (req, res) => {
  const { userId } = req.params;
  if (!profiles[userId]) profiles[userId] = await fetch(\`https://accounts.example.com/v1/users/\${userId}\`).then((r) => r.json());
  res.json(profiles[userId]);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 5, column: 7, endColumn: 15, data: { name: 'profiles', route: `GET /users/:userId (${file}:7)`, staleness: FOREVER } }],
  },
  {
    name: 'Fastify: a memo keyed by host name whose service URL comes from the settings (the user\'s own service) stays reported',
    code: `
import Fastify from 'fastify';
import axios from 'axios';
import { settings } from './settings';

const app = Fastify();
const tagsByHost = new Map<string, unknown>();

app.get('/tags', async (request: { query: { hostname: string } }) => {
  const { hostname } = request.query;
  if (!tagsByHost.has(hostname)) tagsByHost.set(hostname, (await axios.get(\`\${settings.sonarr.url}/api/v3/tag?host=\${hostname}\`)).data);
  return tagsByHost.get(hostname);
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 7, column: 7, endColumn: 17, data: { name: 'tagsByHost', route: `GET /tags (${file}:9)`, staleness: FOREVER } }],
  },
  {
    name: 'Express (CommonJS): staff roles exported under two names, loaded from the database at start-up and reloaded by an admin request on one instance',
    code: `
const express = require('express');
const Account = require('./models/account');

const app = express();
const staffRoles = (module.exports.staffRoles = {});

const loadStaffRoles = () => {
  Account.find({ staffRole: { $exists: true } }).then((accounts) => {
    accounts.forEach((user) => (staffRoles[user.username] = user.staffRole));
  });
};
loadStaffRoles();

app.post('/admin/staff/reload', (req, res) => {
  loadStaffRoles();
  res.sendStatus(204);
});
app.get('/staff/:name', (req, res) => res.json({ role: staffRoles[req.params.name] }));
`,
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 7, endColumn: 17, data: { name: 'staffRoles', route: `POST /admin/staff/reload (${file}:15)`, staleness: FOREVER } }],
  },
  {
    name: 'a map of login providers rebuilt from the methods an admin saved: a cache of settings, not a session',
    code: `
import express from 'express';
import { OidcProvider, type ProviderSettings } from './oidc';
import { db } from './db';

class LoginProviders {
  providers: Map<string, OidcProvider> = new Map();

  configure(name: string, settings: ProviderSettings) {
    const provider = new OidcProvider(name, settings);
    this.providers.set(name, provider);
  }
}

const loginProviders = new LoginProviders();
const app = express();
app.put('/admin/login-methods', async (req, res) => {
  await db.saveLoginMethods(req.body.methods);
  req.body.methods.forEach((method: { name: string; settings: ProviderSettings }) => loginProviders.configure(method.name, method.settings));
  res.end();
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 7, column: 3, endColumn: 12, data: { name: 'providers', route: `PUT /admin/login-methods (${file}:17)`, staleness: FOREVER } }],
  },
  {
    name: 'a value a request sets and saves, itself, under its setting’s name',
    code: `
import express from 'express';
import { config } from './config';

const app = express();
let storageBackend: string = config.getConfigItem('storage_backend');

function switchBackend(target: string) {
  storageBackend = target === 'remote' ? 'remote' : 'local';
  config.setConfigItem('storage_backend', storageBackend);
}

app.post('/admin/storage', (req, res) => {
  switchBackend(req.body.target);
  res.json({ storageBackend });
});
`,
    errors: [{ messageId: 'cacheInMemory', line: 6, column: 5, endColumn: 19, data: { name: 'storageBackend', route: `POST /admin/storage (${file}:13)`, staleness: FOREVER } }],
  },
];

const fileNameInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'Next.js route handler: a module Map filled with fetch()',
    filename: 'app/api/products/[id]/route.ts',
    code: `
const products = new Map<string, unknown>();

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!products.has(id)) products.set(id, await fetch(\`https://catalog.internal/products/\${id}\`).then((r) => r.json()));
  return Response.json(products.get(id));
}
`,
    errors: [{ messageId: 'cacheInMemory', line: 2, column: 7, endColumn: 15, data: { name: 'products', route: 'GET /api/products/[id] (app/api/products/[id]/route.ts:4)', staleness: FOREVER } }],
  },
];

const sameFileValid: ValidTestCase<Options>[] = [
  {
    name: 'hapi: a server method cached for 30 seconds (within the staleness accepted)',
    code: HAPI_MACHINES('{ expiresIn: 30 * 1000, generateTimeout: 2000 }'),
  },
  {
    name: 'hapi: a server method cached in a named cache the server was given (`cache: { cache: \'redis\' }`)',
    code: HAPI_MACHINES("{ cache: 'redis', expiresIn: 10 * 60 * 1000, generateTimeout: 2000 }"),
  },
  {
    name: 'hapi: a server method cached for ten minutes whose entries only expire',
    code: HAPI_MACHINES('{ expiresIn: 10 * 60 * 1000, generateTimeout: 2000 }').replace('await server.methods.getMachine.cache.drop(request.params.id);', ''),
  },
  {
    name: "an identity provider's discovered configuration kept in one variable, reset when discovery fails: the provider's, quiet",
    code: `
import express from 'express';
import * as oidc from 'openid-client';
import { db } from './db';

let cachedConfig: unknown = null;

async function getConfig(issuer: string, clientId: string): Promise<unknown> {
  if (cachedConfig) return cachedConfig;
  try {
    cachedConfig = await oidc.discovery(new URL(issuer), clientId);
    return cachedConfig;
  } catch (err) {
    cachedConfig = null;
    throw err;
  }
}

const app = express();
app.get('/auth/sso/authorize', async (req, res) => {
  res.json({ ok: Boolean(await getConfig(String(process.env.ISSUER), String(process.env.CLIENT_ID))) });
});
app.put('/settings/sso', (req, res) => {
  cachedConfig = null;
  res.sendStatus(204);
});
`,
  },
  {
    name: "a module variable loaded from a file and changed field by field by a route that never saves it: this process's own, quiet",
    code: `
import express from 'express';
import fs from 'node:fs';

class PanelConfig { httpPort = 23333; loginCheckIp = true; operationLogRecordUser = true; }

let panelConfig: PanelConfig | null = null;

function loadConfig(): PanelConfig | null {
  return fs.existsSync('config.json') ? Object.assign(new PanelConfig(), JSON.parse(fs.readFileSync('config.json', 'utf-8'))) : null;
}

export function initPanelConfig(): void {
  panelConfig = loadConfig();
  if (!panelConfig) panelConfig = new PanelConfig();
}

function storeConfig(config: PanelConfig): void {
  fs.writeFileSync('config.json', JSON.stringify(config));
}

initPanelConfig();
const app = express();
app.put('/setting', express.json(), (req, res) => {
  if (panelConfig) {
    panelConfig.httpPort = req.body.httpPort;
    panelConfig.loginCheckIp = Boolean(req.body.loginCheckIp);
    panelConfig.operationLogRecordUser = Boolean(req.body.operationLogRecordUser);
    res.setHeader('x-port', String(panelConfig.httpPort));
  }
  res.sendStatus(204);
});
`,
  },
  {
    name: 'a partner API token asked of a fixed URL named by a module constant: every instance asks for its own, no request changes it',
    code: `
import express from 'express';
import { settings } from './settings';

const TOKEN_URL = 'https://auth.partner.example/oauth/token';
let accessToken: string | undefined;

async function partnerToken(renew = false): Promise<string | undefined> {
  if (accessToken && !renew) return accessToken;
  const grant = await fetch(TOKEN_URL, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) }).then((r) => r.json());
  if (grant?.access_token) accessToken = grant.access_token;
  return accessToken;
}

const app = express();
app.get('/shipments/:id', async (req, res) => {
  let token = await partnerToken();
  let answer = await fetch('https://api.partner.example/shipments/' + encodeURIComponent(req.params.id), { headers: { authorization: 'Bearer ' + token } });
  if (answer.status === 401) {
    token = await partnerToken(true);
    answer = await fetch('https://api.partner.example/shipments/' + encodeURIComponent(req.params.id), { headers: { authorization: 'Bearer ' + token } });
  }
  res.json(await answer.json());
  void settings;
});
`,
  },
  {
    name: "OIDC issuers discovered per provider and kept: the identity provider's published metadata, the same on every instance",
    code: `
import express from 'express';
import { Issuer } from 'openid-client';

const providers: Record<string, { issuer: string; clientId: string }> = {
  google: { issuer: process.env.GOOGLE_ISSUER ?? '', clientId: process.env.GOOGLE_CLIENT_ID ?? '' },
};
const issuers = new Map<string, Issuer>();

async function discover(url: string): Promise<Issuer> {
  const known = issuers.get(url);
  if (known) return known;
  const issuer = await Issuer.discover(url);
  issuers.set(url, issuer);
  return issuer;
}

const app = express();
app.get('/auth/:slug', async (req, res) => {
  const config = providers[req.params.slug];
  const issuer = await discover(config.issuer);
  const client = new issuer.Client({ client_id: config.clientId });
  res.redirect(client.authorizationUrl({ scope: 'openid' }));
});
`,
  },
  {
    name: 'a memo of loaded rows whose expiry is the clock plus a TTL plus a random jitter states that TTL',
    code: `
import express from 'express';
import { db } from './services';

const TTL_MS = 15 * 60 * 1000;
const emailCache = new Map<string, { email: string; expiresAt: number }>();

function remember(id: string, email: string, now: number) {
  const jitter = Math.floor(Math.random() * TTL_MS * 0.1);
  emailCache.set(id, { email, expiresAt: now + TTL_MS + jitter });
}

const app = express();
app.get('/owners', async (req, res) => {
  const now = Date.now();
  const ids = String(req.query.ids).split(',');
  const users = await db.users.getByIds(ids.filter((id) => !(emailCache.get(id)?.expiresAt! > now)));
  users.forEach((user: { id: string; email: string }) => remember(user.id, user.email, now));
  res.json(ids.map((id) => emailCache.get(id)?.email));
});
`,
  },
  {
    name: 'the last result of a load, replaced by every load and answered with only while the database is too busy to load',
    code: `
import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
let lastTotals = { users: 0, views: 0 };

async function loadTotals(): Promise<{ users: number; views: number }> {
  if (pool.waitingCount > 20) return Promise.resolve(lastTotals);
  const result = await pool.query('SELECT count(*) AS users, sum(views) AS views FROM users');
  return result.rows[0];
}

const app = express();
app.get('/totals', async (_req, res) => {
  const totals = await loadTotals();
  lastTotals = totals;
  res.json(totals);
});
`,
  },
  {
    name: 'a copy of outside data filled when the module loads and again once per period behind a clock stamp a route checks',
    code: `
import express from 'express';
import { fetchInstalls } from './stores';

let storeInstalls = 0;
let lastStoreCheck = 0;

function refreshStoreInstalls() {
  fetchInstalls('ours').then((count) => {
    storeInstalls = count;
  });
}

refreshStoreInstalls();

const app = express();
app.get('/stats', (_req, res) => {
  const now = Date.now();
  if (now - lastStoreCheck > 6 * 60 * 60 * 1000) {
    lastStoreCheck = now;
    refreshStoreInstalls();
  }
  res.json({ installs: storeInstalls });
});
`,
  },
  {
    name: 'a hit check against the clock held in a local, with a duration from a setting: a stated TTL',
    code: `
import express from 'express';
import { db } from './services';

const app = express();
const maxAgeMs = Number(process.env.PRICE_TTL_MS);
const prices = new Map<string, { value: number; storedAt: number }>();

async function priceOf(symbol: string) {
  const now = Date.now();
  const hit = prices.get(symbol);
  if (hit && hit.storedAt + maxAgeMs > now) return hit.value;
  const value = await db.prices.find(symbol);
  prices.set(symbol, { value, storedAt: now });
  return value;
}

app.get('/prices/:symbol', async (req, res) => res.json(await priceOf(req.params.symbol)));
`,
  },
  {
    name: 'loads coalesced through `??` and dropped when they settle: in-flight reads shared by concurrent callers',
    code: `
import express from 'express';
import { db } from './services';

const app = express();
const loading: Record<string, Promise<number>> = {};

async function statsFor(team: string) {
  const load = () => db.stats.find(team);
  const running = loading[team] ?? load();
  loading[team] = running;
  const stats = await running;
  delete loading[team];
  return stats;
}

app.get('/teams/:team/stats', async (req, res) => res.json(await statsFor(req.params.team)));
`,
  },
  {
    name: "Express: settings read from this instance's file and put on req.app by an admin route carry no user's data (the file's write is no-local-disk-write's)",
    code: `
import express from 'express';
import { readFileSync } from 'node:fs';

const readSettings = () => JSON.parse(readFileSync('settings.json', 'utf8')) as Record<string, unknown>;

const app = express();
app.post('/admin/settings/reload', (req, res) => {
  (req.app as unknown as { settings2: unknown }).settings2 = readSettings();
  res.sendStatus(204);
});
`,
  },
  {
    name: 'Express: a helper whose app parameter is handed a row the request loaded writes that row, not the app',
    code: `
import express from 'express';
import { db } from './services';

function rename(app: { id: string; name: string }, name: string) {
  app.name = name;
  return db.apps.update(app.id, { name });
}

const app = express();
app.put('/apps/:id', async (req, res) => {
  const row = await db.apps.findOne(req.params.id);
  await rename(row, req.body.name);
  res.json(row);
});
`,
  },
  {
    name: 'Express: a memo of lookups in the GeoIP database file each instance opens from its own copy is deploy-time data',
    code: `
import express from 'express';
import maxmind, { type CityResponse, type Reader } from 'maxmind';

let reader: Reader<CityResponse> | undefined;
const cities = new Map<string, string | undefined>();

async function cityOf(ip: string) {
  if (cities.has(ip)) return cities.get(ip);
  if (!reader) {
    reader = await maxmind.open<CityResponse>('data/GeoLite2-City.mmdb');
  }
  const city = reader.get(ip)?.city?.names.en;
  cities.set(ip, city);
  return city;
}

const app = express();
app.post('/collect', express.json(), async (req, res) => {
  res.json({ city: await cityOf(req.ip ?? '') });
});
`,
  },
  {
    name: 'a field a getter loads on first use, never dropped by a request',
    code: PLAN_STORE_APP.replace('  planStore.invalidate();\n', '  void planStore;\n'),
  },
  {
    name: 'event bus: a listener of another emitter with the same event name',
    code: `
import express from 'express';
import { EventEmitter } from 'node:events';
import { db } from './services';

const bus = new EventEmitter();
const audit = new EventEmitter();
const posts = new Map<string, unknown>();

audit.on('post-saved', (post: { id: string }) => {
  posts.set(post.id, post);
});

const app = express();
app.post('/posts', async (req, res) => {
  const post = await db.insert(req.body);
  bus.emit('post-saved', post);
  res.json(post);
});
app.get('/posts/:id', (req, res) => res.json(posts.get(req.params.id)));
`,
  },
  {
    name: 'Express: the same memo class defaulting its TTL to 30 seconds (`this.ttl = ttl * 1000`): within maxStalenessSeconds',
    code: memoClass(30),
  },
  {
    name: 'NestJS: a field the constructor parameter declares, loaded only at start-up (onModuleInit)',
    code: `
import { Controller, Get, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { db } from './db';

@Injectable()
export class FlagService implements OnModuleInit {
  constructor(@Inject('FLAGS') private flags: object[]) {}
  async onModuleInit() {
    this.flags = await db.flag.findMany();
  }
  all() {
    return this.flags;
  }
}

@Controller('flags')
export class FlagController {
  constructor(private readonly flagService: FlagService) {}
  @Get() all() { return this.flagService.all(); }
}
`,
  },
  {
    name: 'Express: a cache module with a five-minute hit check and nothing that forgets an entry early: as stale on one instance as on N',
    code: STATS_CACHE,
  },
  {
    name: 'Koa: lru-cache with a one-hour maxAge of dashboard totals (and a size cap that clears it), nothing deleting an entry early',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import LRU from 'lru-cache';
import { Mock, User } from './models';

const app = new Koa();
const router = new Router();
const totals = new LRU<string, object>({ max: 1, maxAge: 60 * 60 * 1000 });
const byDay = new Map<string, { at: number; count: number }>();

router.get('/dashboard', async (ctx) => {
  let result = totals.get('list');
  if (!result) {
    result = { users: await User.count(), mocks: await Mock.count() };
    totals.set('list', result);
  }
  ctx.body = result;
});

router.get('/dashboard/:day', async (ctx) => {
  const hit = byDay.get(ctx.params.day);
  if (hit && Date.now() - hit.at < 10 * 60 * 1000) return (ctx.body = hit.count);
  if (byDay.size > 30) byDay.clear();
  const count = await Mock.count({ day: ctx.params.day });
  byDay.set(ctx.params.day, { at: Date.now(), count });
  ctx.body = count;
});

app.use(router.routes());
`,
  },
  {
    name: 'Koa: the response body an hour-long lru-cache keeps after a miss (`cache.set(k, ctx.body)`) fills it; it writes nothing through',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import LRU from 'lru-cache';
import axios from 'axios';

const app = new Koa();
const router = new Router();
const wallpapers = new LRU<string, unknown>({ max: 1, maxAge: 60 * 60 * 1000 });

router.get('/wallpaper', async (ctx) => {
  const cached = wallpapers.get('one');
  if (cached) {
    ctx.body = cached;
    return;
  }
  const res = await axios.get(String(process.env.WALLPAPER_API));
  ctx.body = { data: res.data };
  wallpapers.set('one', ctx.body);
});

app.use(router.routes());
`,
  },
  {
    name: 'Fastify: node-cache with stdTTL 600 seconds that no code deletes from: the TTL is the accepted staleness',
    code: SETTINGS_CACHE,
  },
  {
    name: 'Express (CommonJS): roles exported under two names, loaded from the database only at start-up',
    code: `
const express = require('express');
const Role = require('./models/role');

const app = express();
const levels = (exports.levels = {});

Role.find().then((roles) => {
  roles.forEach((role) => (levels[role.name] = role.level));
});

app.get('/levels/:name', (req, res) => res.json({ level: levels[req.params.name] }));
`,
  },
  {
    name: 'Koa router: a table rebuilt by a request from a constant list, element by element (nothing loaded)',
    code: `
import Koa from 'koa';
import Router from '@koa/router';

const DEFAULT_LEVELS = [{ name: 'admin', level: 3 }, { name: 'editor', level: 2 }];
const app = new Koa();
const router = new Router();
const levels: Record<string, number> = {};

router.post('/levels/reset', (ctx) => {
  DEFAULT_LEVELS.forEach((entry) => (levels[entry.name] = entry.level));
  ctx.status = 204;
});

app.use(router.routes());
`,
  },
  {
    name: 'Express (callbacks): a third-party reputation score memoised per IP address: the same answer on any instance, refetchable',
    code: `
import express from 'express';

const app = express();
const reputation = {};

app.post('/account', (req, res) => {
  const signupIP = req.ip;
  if (reputation[signupIP]) return res.json({ score: reputation[signupIP] });
  fetch(\`https://check.getipintel.net/check.php?ip=\${signupIP}&contact=\${process.env.CONTACT_EMAIL}&format=json\`)
    .then((response) => response.json())
    .then((json) => {
      const score = json.result;
      res.json({ score: (reputation[signupIP] = score) });
    });
});
`,
  },
  {
    name: 'Fastify: geolocation of a client address from a public API, kept in a Map',
    code: `
import Fastify from 'fastify';
import axios from 'axios';

const app = Fastify();
const geoByIp = new Map<string, unknown>();

app.get('/where', async (request: { ip: string }) => {
  const clientIp = request.ip;
  if (!geoByIp.has(clientIp)) {
    const { data } = await axios.get(\`https://ipapi.co/\${encodeURIComponent(clientIp)}/json/\`);
    geoByIp.set(clientIp, data);
  }
  return geoByIp.get(clientIp);
});
`,
  },
  {
    name: 'Express: a fixed public document whose offline copy is read back from the settings store (an async get)',
    code: `
import express from 'express';

declare const Settings: { get(key: string): Promise<{ services: unknown[] }>; set(key: string, value: unknown): Promise<void> };

const app = express();
let rdapData: { services: unknown[] } | null = null;

async function offlineRdapData() {
  let data = null;
  try {
    data = await Settings.get('rdapData');
  } catch {
    data = { services: [] };
  }
  return data;
}

async function getRdapData() {
  if (rdapData) return rdapData;
  try {
    const response = await fetch('https://data.iana.org/rdap/dns.json');
    const data = await response.json();
    rdapData = data;
    await Settings.set('rdapData', data);
  } catch {
    rdapData = await offlineRdapData();
  }
  return rdapData;
}

app.get('/rdap', async (req, res) => res.json(await getRdapData()));
`,
  },
  {
    name: 'Express: a fixed public document (a constant URL) fetched and kept, with a flag around its refresh',
    code: `
import express from 'express';

const app = express();
let rdapData: { services: unknown[] } | null = null;
let nextCheck = 0;
let running = false;

async function getRdapData() {
  if (rdapData && Date.now() < nextCheck) return rdapData;
  if (running) return rdapData;
  try {
    running = true;
    const response = await fetch('https://data.iana.org/rdap/dns.json');
    rdapData = await response.json();
    nextCheck = Date.now() + 7 * 24 * 60 * 60 * 1000;
  } finally {
    running = false;
  }
  return rdapData;
}

app.get('/rdap', async (req, res) => res.json(await getRdapData()));
`,
  },
  {
    name: 'socket.io: claims of a Redis lock remembered per document until a timer drops them (a bounded, stated expiry)',
    code: `
import { Server } from 'socket.io';
import { redis } from './redis';

const io = new Server();
const lockTtl = Number(process.env.LOCK_TTL);
const lockPromises: Record<string, Promise<string | null>> = {};

function claim(doc: string) {
  const existing = lockPromises[doc];
  if (existing) return existing;
  const claimed = redis.set('lock:' + doc, 'me', 'PX', lockTtl, 'NX', 'GET');
  lockPromises[doc] = claimed;
  setTimeout(() => { delete lockPromises[doc]; }, lockTtl / 2);
  return claimed;
}

io.on('connection', (socket) => {
  socket.on('open', async (doc: string) => socket.emit('owner', await claim(doc)));
});
`,
  },
  {
    name: 'NestJS: a cache-manager 6 stores list with Redis behind the memory tier, and one of Redis alone',
    code: `
import { Module } from '@nestjs/common';
import { CacheModule } from '@nestjs/cache-manager';
import { createKeyv } from '@keyv/redis';
import { Keyv } from 'keyv';
import { CacheableMemory } from 'cacheable';

@Module({
  imports: [
    CacheModule.register({ stores: [new Keyv({ store: new CacheableMemory({ lruSize: 200 }) }), createKeyv(process.env.REDIS_URL)] }),
    CacheModule.registerAsync({ useFactory: () => ({ ttl: 30_000, stores: [createKeyv(process.env.REDIS_URL)] }) }),
  ],
})
export class AppModule {}
`,
  },
  {
    name: 'NestJS: CacheModule given a Redis store through its factory',
    code: `
import { Module } from '@nestjs/common';
import { CacheModule } from '@nestjs/cache-manager';
import { redisStore } from './redis-store';

@Module({ imports: [CacheModule.registerAsync({ useFactory: () => ({ stores: [redisStore()] }) })] })
export class AppModule {}
`,
  },
  {
    name: 'Koa router: static scripts read from the app folder and minified once per path: deploy-time data',
    code: `
import Koa from 'koa';
import Router from '@koa/router';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { minify } from 'terser';

const app = new Koa();
const router = new Router();
const minified = new Map<string, string>();

async function readAsset(name: string) {
  return await readFile(path.join(__dirname, 'public', name), 'utf8');
}

router.get('/assets/:name', async (ctx) => {
  const cached = minified.get(ctx.params.name);
  if (cached) {
    ctx.body = cached;
    return;
  }
  const source = await readAsset(ctx.params.name);
  const result = await minify(source);
  minified.set(ctx.params.name, result.code ?? source);
  ctx.body = minified.get(ctx.params.name);
});

app.use(router.routes());
`,
  },
  {
    name: 'Express: configuration read at start-up and reloaded by a signal, never written by a request',
    code: `
import express from 'express';
import { loadConfig } from './config-file';

const app = express();
let config = loadConfig();
process.on('SIGHUP', () => {
  config = loadConfig();
});

app.get('/config', (req, res) => res.json(config));
`,
  },
  {
    name: 'templates read from disk and compiled once per name: deploy-time data',
    code: `
import express from 'express';
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';

const app = express();
const compiled = new Map<string, HandlebarsTemplateDelegate>();

app.get('/emails/:name/preview', (req, res) => {
  if (!compiled.has(req.params.name)) compiled.set(req.params.name, Handlebars.compile(readFileSync(\`templates/\${req.params.name}.hbs\`, 'utf8')));
  res.send(compiled.get(req.params.name)!({}));
});
`,
  },
  {
    name: 'regular expressions compiled once per pattern',
    code: `
import express from 'express';

const app = express();
const patterns: Record<string, RegExp> = {};

app.get('/match', (req, res) => {
  const source = String(req.query.pattern);
  patterns[source] ??= new RegExp(source, 'i');
  res.json({ match: patterns[source].test(String(req.query.text)) });
});
`,
  },
  {
    name: 'a static lookup table and config loaded at start-up',
    code: `
import express from 'express';

const COUNTRY_NAMES: Record<string, string> = { de: 'Germany', fr: 'France' };
const config = new Map<string, string>();
config.set('region', process.env.REGION ?? 'eu');

const app = express();
app.get('/countries/:code', (req, res) => res.json({ name: COUNTRY_NAMES[req.params.code], region: config.get('region') }));
`,
  },
  {
    name: 'lru-cache with a ttl within maxStalenessSeconds (30 s ≤ 60 s), even though a change drops an entry on this instance only',
    code: `
import express from 'express';
import { LRUCache } from 'lru-cache';
import { db } from './db';

const app = express();
const recent = new LRUCache<string, object>({ max: 500, ttl: 30_000 });

app.get('/feed/:id', async (req, res) => {
  const cached = recent.get(req.params.id);
  if (cached) return res.json(cached);
  const feed = await db.feed.findMany({ where: { ownerId: req.params.id } });
  recent.set(req.params.id, feed);
  res.json(feed);
});

export function onFeedChanged(ownerId: string) {
  recent.delete(ownerId);
}
`,
  },
  {
    name: 'a Map whose entries expire by timer within the threshold, even though a price change drops an entry on this instance only',
    code: `
import express from 'express';
import { lookupPrice } from './prices';

const app = express();
const prices = new Map<string, number>();

app.get('/price/:sku', async (req, res) => {
  if (!prices.has(req.params.sku)) {
    prices.set(req.params.sku, await lookupPrice(req.params.sku));
    setTimeout(() => prices.delete(req.params.sku), 10_000);
  }
  res.json({ price: prices.get(req.params.sku) });
});

export function onPriceChanged(sku: string) {
  prices.delete(sku);
}
`,
  },
  {
    name: 'a 10-minute TTL accepted with maxStalenessSeconds: 900, though an entry is deleted early on this instance only',
    options: [{ maxStalenessSeconds: 900 }],
    code: `${SETTINGS_CACHE}
export function forgetSettings(id: string) {
  settingsCache.del(id);
}
`,
  },
  {
    name: 'apicache given a Redis client: every instance serves one cache',
    code: `
import express from 'express';
import apicache from 'apicache';
import { createClient } from 'redis';

const app = express();
const cacheWithRedis = apicache.options({ redisClient: createClient() }).middleware;

app.get('/api/collection/:id', cacheWithRedis('5 minutes'), (req, res) => {
  res.json({ id: req.params.id });
});
`,
  },
  {
    name: 'apicache whose default instance gets a Redis client at start-up',
    code: `
import express from 'express';
import apicache from 'apicache';
import { createClient } from 'redis';

apicache.options({ redisClient: createClient() });
const app = express();

app.get('/api/collection/:id', apicache.middleware('1 hour'), (req, res) => {
  res.json({ id: req.params.id });
});
`,
  },
  {
    name: 'apicache with a duration within maxStalenessSeconds (30 seconds), and one the analysis cannot read',
    code: `
import express from 'express';
import apicache from 'apicache';

const app = express();
const cache = apicache.middleware;

app.get('/api/feed', cache('30 seconds'), (req, res) => {
  res.json([]);
});
app.get('/api/other', apicache.middleware(process.env.CACHE_DURATION), (req, res) => {
  res.json([]);
});
`,
  },
  {
    name: 'apicache whose 5 minutes are accepted through maxStalenessSeconds: 600',
    options: [{ maxStalenessSeconds: 600 }],
    code: `
import express from 'express';
import apicache from 'apicache';

const app = express();
app.get('/api/feed', apicache.middleware('5 minutes'), (req, res) => {
  res.json([]);
});
`,
  },
  {
    name: 'allowNames and checkLibraries: false',
    options: [{ allowNames: ['usersById'], checkLibraries: false }],
    code: `
import express from 'express';
import { LRUCache } from 'lru-cache';
import { db } from './db';

const app = express();
const usersById = new Map<string, unknown>();
const profiles = new LRUCache<string, object>({ max: 10 });

app.get('/users/:id', async (req, res) => {
  if (!usersById.has(req.params.id)) usersById.set(req.params.id, await db.user.findUnique({ where: { id: req.params.id } }));
  profiles.set(req.params.id, await db.profile.findUnique({ where: { id: req.params.id } }));
  res.json(usersById.get(req.params.id));
});
`,
  },
  {
    name: 'lru-cache whose options the rule cannot see, and one created per request',
    code: `
import express from 'express';
import { LRUCache } from 'lru-cache';
import { cacheOptions } from './config';
import { db } from './db';

const app = express();
const shared = new LRUCache<string, object>(cacheOptions);

app.get('/items/:id', async (req, res) => {
  const perRequest = new LRUCache<string, object>({ max: 10 });
  perRequest.set(req.params.id, await db.item.findUnique({ where: { id: req.params.id } }));
  shared.set(req.params.id, await db.item.findUnique({ where: { id: req.params.id } }));
  res.end();
});
`,
  },
  {
    name: 'a single-flight map of in-flight reads (each instance reading once is correct)',
    code: `
import express from 'express';
import { getRates } from './rates';

const app = express();
const inFlight = new Map<string, Promise<number>>();

function ratesFor(currency: string): Promise<number> {
  const running = inFlight.get(currency);
  if (running) return running;
  const request = getRates(currency).finally(() => inFlight.delete(currency));
  inFlight.set(currency, request);
  return request;
}

app.get('/rates/:currency', async (req, res) => {
  res.json({ rate: await ratesFor(req.params.currency) });
});
`,
  },
  {
    name: 'sessions keyed by a fresh token belong to no-in-memory-session, even when called a cache',
    code: `
import express from 'express';
import { randomUUID } from 'node:crypto';

const app = express();
const sessionCache = new Map<string, object>();

app.post('/login', async (req, res) => {
  const token = randomUUID();
  sessionCache.set(token, { user: await findUser(req.body.email) });
  res.json({ token });
});

async function findUser(email: string) { return { email }; }
`,
  },
  {
    name: 'a memo re-fetched once its stamp is older than a minute-old cut-off (`new Date(Date.now() - 60 * 1000)`)',
    code: `
import express from 'express';
import { billing } from './billing';

const app = express();
const planByOrg: Record<string, unknown> = {};
const fetchedAt: Record<string, Date> = {};

app.get('/orgs/:id/plan', async (req, res) => {
  const cutOff = new Date(Date.now() - 60 * 1000);
  if (!planByOrg[req.params.id] || fetchedAt[req.params.id] <= cutOff) {
    planByOrg[req.params.id] = await billing.fetchPlan(req.params.id);
    fetchedAt[req.params.id] = new Date();
  }
  res.json(planByOrg[req.params.id]);
});
`,
  },
  {
    name: 'a per-user buffer behind a debounce timer, cleared and armed again on each write: session state, not a cache',
    code: `
import express from 'express';
import { db } from './db';

const app = express();
const pendingViews: Record<string, { timer?: ReturnType<typeof setTimeout>; pages: string[] }> = {};

app.get('/pages/:page', (req, res) => {
  const userId = String(req.query.user);
  pendingViews[userId] = pendingViews[userId] || { pages: [] };
  pendingViews[userId].pages.push(req.params.page);
  if (pendingViews[userId].timer) clearTimeout(pendingViews[userId].timer);
  pendingViews[userId].timer = setTimeout(async () => {
    const pages = pendingViews[userId].pages;
    delete pendingViews[userId];
    const user = await db.findUser(userId);
    await db.insertViews(user.id, pages);
  }, 3000);
  res.end();
});
`,
  },
  {
    name: 'a job table whose entries keep the handles a wrapper of node-schedule gives back',
    code: `
import express from 'express';
import schedule from 'node-schedule';
import { store } from './store';

const app = express();
const JOBS: Record<string, { title: string; handle: schedule.Job | null }> = {
  purge: { title: 'Purge old exports', handle: null },
};

function plan(key: string, when?: string) {
  if (!when) return null;
  return schedule.scheduleJob(new Date(when), () => store.runJob(key));
}

app.post('/jobs/:key/plan', async (req, res) => {
  const key = req.params.key;
  JOBS[key].handle?.cancel();
  JOBS[key].handle = null;
  JOBS[key].handle = plan(key, (await store.loadPlan(key)).when);
  res.end();
});
`,
  },
];

const fileNameValid: ValidTestCase<Options>[] = [
  {
    name: 'a test file never serves requests',
    filename: 'src/users.test.ts',
    code: `
import express from 'express';
import { db } from './db';
const app = express();
const usersById = new Map<string, unknown>();
app.get('/users/:id', async (req, res) => {
  if (!usersById.has(req.params.id)) usersById.set(req.params.id, await db.user.findUnique({ where: { id: req.params.id } }));
  res.json(usersById.get(req.params.id));
});
`,
  },
  {
    name: 'browser code caches for its own tab',
    filename: 'src/components/user-card.tsx',
    code: `
'use client';
const users = new Map<string, unknown>();
export async function GET(id: string) {
  if (!users.has(id)) users.set(id, await fetch(\`/api/users/\${id}\`).then((r) => r.json()));
  return users.get(id);
}
`,
  },
];

/** A module object whose method a request calls to reload what it keeps (fixtures/lock-cache): untyped (through the project index) and typed. */
const objectModuleInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'cross-file, object-literal module: `this.siteValues` reloaded by `siteSettings.reloadSiteValues()` from a route',
    filename: fixturePath('lock-cache/site-settings.ts'),
    code: readFileSync(fixturePath('lock-cache/site-settings.ts'), 'utf8'),
    errors: [{ messageId: 'cacheInMemory', line: 4, column: 3, endColumn: 13, data: { name: 'siteValues', route: 'POST /site (src/rules/fixtures/lock-cache/routes.ts:42)', staleness: FOREVER } }],
  },
];

/**
 * A switch an admin route flips through a handler destructured from a barrel of five modules (fixtures/lock-cache/barrel),
 * untyped only: the typed fixtures are TypeScript, where `require` is not followed; core's lock-cache-idioms tests run it typed in JavaScript.
 */
const barrelInvalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'cross-file: `registrationClosed` turned on and off by a handler of an `Object.assign({}, …)` barrel of five modules; `motd`, never written, stays quiet',
    filename: fixturePath('lock-cache/barrel/state.ts'),
    code: readFileSync(fixturePath('lock-cache/barrel/state.ts'), 'utf8'),
    errors: [{ messageId: 'cacheInMemory', line: 1, column: 14, endColumn: 32, data: { name: 'registrationClosed', route: 'POST /admin/:command (src/rules/fixtures/lock-cache/barrel/server.ts:10)', staleness: FOREVER } }],
  },
];

createUntypedRuleTester().run('no-process-local-cache', rule, {
  valid: [
    ...sameFileValid,
    ...fileNameValid,
    {
      name: 'untyped analysis stays within one file: the routes that reach this state are in another file',
      filename: 'src/catalog-service.ts',
      code: readFileSync(fixturePath('lock-cache/catalog-service.ts'), 'utf8'),
    },
    {
      name: 'cross-file, object-literal module: a method handed to a router runs with another `this`',
      filename: fixturePath('lock-cache/site-flags.ts'),
      code: readFileSync(fixturePath('lock-cache/site-flags.ts'), 'utf8'),
    },
  ],
  invalid: [...sameFileInvalid('file.ts'), ...fileNameInvalid, ...objectModuleInvalid, ...barrelInvalid],
});

createTypedRuleTester().run('no-process-local-cache (typed)', rule, {
  valid: [
    ...sameFileValid,
    {
      name: 'cross-file: routes.ts reaches the state in catalog-service.ts but declares none',
      filename: fixturePath('lock-cache/routes.ts'),
      code: readFileSync(fixturePath('lock-cache/routes.ts'), 'utf8'),
    },
    {
      name: 'cross-file, object-literal module: a method handed to a router runs with another `this`',
      filename: fixturePath('lock-cache/site-flags.ts'),
      code: readFileSync(fixturePath('lock-cache/site-flags.ts'), 'utf8'),
    },
  ],
  invalid: [
    ...sameFileInvalid('src/rules/fixtures/file.ts'),
    ...objectModuleInvalid,
    {
      name: 'cross-file: the routes in routes.ts call the helpers in catalog-service.ts that use the state',
      filename: fixturePath('lock-cache/catalog-service.ts'),
      code: readFileSync(fixturePath('lock-cache/catalog-service.ts'), 'utf8'),
      errors: [
        {
          messageId: 'cacheInMemory',
          line: 5,
          column: 7,
          endColumn: 17,
          data: { name: 'priceCache', route: 'GET /prices/:sku (src/rules/fixtures/lock-cache/routes.ts:6)', staleness: FOREVER },
        },
      ],
    },
  ],
});
