import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { ProjectIndex } from '../project-index/project-index';
import { removeProject, writeProject } from '../testing/disk-project';
import { createProgram } from '../testing/program';

function messages(code: string, fileName = '/project/src/app.ts'): string[] {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-in-memory-session', 'no-local-disk-write', 'no-in-memory-counter'] }).map((finding) => `${finding.messageId}: ${finding.data.name ?? finding.data.callee ?? finding.data.detail}`);
}

const EXPRESS = `import express from 'express';\nimport fs from 'node:fs';\nimport multer from 'multer';\nconst app = express();\n`;

describe('which state is session state', () => {
  it('reads fields of an abstract base as the singleton subclass\'s (typed), and stores that only the process passes as its own', () => {
    // A scan started with no arguments (`libraryScan.run()`) records its own position, not a user's; a
    // position the request passes in (`runFrom(req.body.start)`) is what requests bring.
    const scan = `${EXPRESS}
abstract class Scan {
  protected progress = 0;
  protected step(start: number) { this.progress = start; }
  async run() { this.step(0); }
  async runFrom(start: number) { this.step(start); }
}
class LibraryScan extends Scan {}
const libraryScan = new LibraryScan();
`;
    const typed = (route: string): string[] => {
      const program = createProgram({ '/project/src/app.ts': `${scan}${route}\n` });
      return analyzeSourceFile(program.getSourceFile('/project/src/app.ts')!, { program, projectRoot: '/project', rules: ['no-in-memory-session', 'no-process-local-cache', 'no-in-process-lock'] }).map((finding) => `${finding.ruleId}: ${finding.data.name}`);
    };
    expect(typed(`app.post('/scan', (req, res) => { void libraryScan.run(); res.end(); });`)).toEqual([]);
    expect(typed(`app.post('/scan', (req, res) => { void libraryScan.runFrom(Number(req.body.start)); res.end(); });`)).toEqual(['no-in-memory-session: progress']);
  });

  it('reports maps, sets, arrays, objects and lets written by handlers', () => {
    expect(
      messages(`${EXPRESS}
const carts = new Map<string, string[]>();
const online = new Set<string>();
const audit: string[] = [];
const prefs: Record<string, string> = {};
let lastUser = '';
app.post('/cart', (req, res) => { carts.get(req.body.user)?.push(req.body.item); res.end(); });
app.post('/ping', (req, res) => { online.add(req.ip!); audit.push(req.path); prefs[req.body.user] = req.body.theme; lastUser = req.body.user; res.end(); });
`),
    ).toEqual(['sessionInMemory: carts', 'sessionInMemory: online', 'sessionInMemory: audit', 'sessionInMemory: prefs', 'sessionInMemory: lastUser']);
  });

  it('gives counters (resets included) to the counter rule; caches, locks, flags, connections and lazy singletons to nobody yet', () => {
    expect(
      messages(`${EXPRESS}
let hits = 0;
const perPath = new Map<string, number>();
const userCache = new Map<string, object>();
const locks = new Set<string>();
let ready = false;
let db: unknown;
let client: unknown;
class Database {
  private static instance: Database;
  static get() { if (!Database.instance) Database.instance = new Database(); return Database.instance; }
}
const sockets = new Map<string, unknown>();
function prepare() { ready = true; }
app.get('/x', async (req, res) => {
  hits++;
  if (hits > 1e9) hits = 0;
  const next = (perPath.get(req.path) ?? 0) + 1;
  perPath.set(req.path, next);
  userCache.set(req.path, {});
  locks.add(req.path);
  if (!ready) prepare();
  if (!db) db = await connectDb();
  client = await createClient();
  Database.get();
  sockets.set(req.ip!, res);
  res.end();
});
async function connectDb() { return {}; }
async function createClient() { return {}; }
`),
    ).toEqual(['counterInMemory: hits', 'counterInMemory: perPath']);
  });

  it('leaves memo tables (filled once per key) to the cache rule, but not carts created on first use', () => {
    expect(
      messages(`${EXPRESS}
const templates = new Map<string, string>();
const rendered: Record<string, string> = {};
const carts = new Map<string, string[]>();
app.get('/t/:n', (req, res) => {
  if (!templates.has(req.params.n)) templates.set(req.params.n, fs.readFileSync(req.params.n, 'utf8'));
  rendered[req.params.n] ??= templates.get(req.params.n)!.toUpperCase();
  if (!carts.has(req.ip!)) carts.set(req.ip!, []);
  carts.get(req.ip!)!.push(req.params.n);
  res.send(rendered[req.params.n]);
});
`),
    ).toEqual(['sessionInMemory: carts']);
  });

  it('stays quiet on lookup tables, start-up writes and per-request locals', () => {
    expect(
      messages(`${EXPRESS}
const RATES: Record<string, number> = { eu: 1, us: 2 };
const routesSeen = new Map<string, string>();
routesSeen.set('boot', new Date().toISOString());
function loadRates() { RATES.ca = 3; }
loadRates();
app.get('/rate/:c', (req, res) => {
  const local = new Map<string, number>();
  local.set(req.params.c, RATES[req.params.c]);
  res.json({ rate: RATES[req.params.c], boot: routesSeen.get('boot') });
});
`),
    ).toEqual([]);
  });

  it('reports singleton fields of Nest providers, not of per-request classes', () => {
    expect(
      messages(`import { Controller, Post, Injectable, Scope } from '@nestjs/common';
@Injectable()
export class CartService {
  private readonly carts = new Map<string, string[]>();
  add(user: string, item: string) { this.carts.set(user, [item]); }
}
@Injectable({ scope: Scope.REQUEST })
export class RequestContext {
  private readonly seen = new Set<string>();
  mark(item: string) { this.seen.add(item); }
}
@Controller('cart')
export class CartController {
  constructor(private readonly cartService: CartService, private readonly context: RequestContext) {}
  @Post() add() { this.cartService.add('u', 'i'); this.context.mark('i'); }
}
`),
    ).toEqual(['sessionInMemory: carts']);
  });
});

/** Every state rule's findings as `rule: name`, to check that each state lands in exactly one rule. */
function stateRules(code: string): string[] {
  const fileName = '/project/src/app.ts';
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return analyzeSourceFile(sourceFile, { projectRoot: '/project', rules: ['no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache', 'no-in-process-lock'] }).map(
    (finding) => `${finding.ruleId}: ${finding.data.name}`,
  );
}

describe('one state, one rule: classified by use, names break ties', () => {
  it('a fill-once map of database rows is a cache whatever it is called; its invalidation keeps it one', () => {
    expect(
      stateRules(`${EXPRESS}
declare const db: { user: { findUnique(id: string): Promise<object>; update(id: string, data: unknown): Promise<void> } };
const users = new Map<string, object>();
app.get('/u/:id', async (req, res) => {
  const hit = users.get(req.params.id);
  if (hit) return res.json(hit);
  const user = await db.user.findUnique(req.params.id);
  users.set(req.params.id, user);
  res.json(user);
});
app.put('/u/:id', async (req, res) => { await db.user.update(req.params.id, req.body); users.delete(req.params.id); res.end(); });
`),
    ).toEqual(['no-process-local-cache: users']);
  });

  it('a setInterval sweep that deletes expired entries is an expiry, not a lock release: the static settings table stays a cache', () => {
    expect(
      stateRules(`${EXPRESS}
declare const db: { setting: { find(key: string): Promise<unknown>; rescan(key: string): Promise<void>; save(key: string, value: unknown): Promise<void> } };
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
    const value = await db.setting.find(key);
    Settings.cacheList[key] = { value, at: Date.now() };
    return value;
  }
  static async set(key: string, value: unknown) {
    await db.setting.save(key, value);
    delete Settings.cacheList[key];
  }
}
const running: Record<string, boolean> = {};
app.get('/settings/:key', async (req, res) => res.json(await Settings.get(req.params.key)));
app.put('/settings/:key', async (req, res) => res.json(await Settings.set(req.params.key, req.body.value)));
app.post('/scan/:id', async (req, res) => {
  if (running[req.params.id]) return res.status(409).end();
  running[req.params.id] = true;
  try {
    await db.setting.rescan(req.params.id);
  } finally {
    delete running[req.params.id];
  }
  res.end();
});
`),
    ).toEqual(['no-process-local-cache: cacheList', 'no-in-process-lock: running']);
  });

  it('state the process computes for itself (a scan keeps its client, a sync loads a public table) is nobody’s; a handler’s own write or data passed in stays session state', () => {
    expect(
      stateRules(`${EXPRESS}
declare function download(url: string): Promise<Record<string, number>>;
declare function connectPlex(): Promise<object>;
declare function checkPassword(user: string, password: string): boolean;
let animeTable: Record<string, number> = {};
let plexClient: object | undefined;
const hostCfg = { protected: true, authenticated: false };
const bans = new Map<string, number>();
async function syncTable() {
  animeTable = await download('https://example.org/anime.json');
}
async function scan() {
  plexClient = await connectPlex();
  await syncTable();
}
function ban(userSecret: string, until: number) {
  bans.set(userSecret, until);
}
app.post('/scan', async (req, res) => { await scan(); res.end(); });
app.post('/login', (req, res) => {
  if (checkPassword(req.body.user, req.body.password)) hostCfg.authenticated = true;
  res.end();
});
app.post('/ban', (req, res) => { ban(req.body.secret, Date.now() + 60_000); res.end(); });
`),
    ).toEqual(['no-in-memory-session: hostCfg', 'no-in-memory-session: bans']);
  });

  it('per-user state stays session state: carts made on first use, maps keyed by a fresh token, request data under a user key; the progress of an import, taken out by the request that started it when it ends, is this process’s running work', () => {
    expect(
      stateRules(`${EXPRESS}
import { randomUUID } from 'node:crypto';
declare function findUser(email: string): Promise<object>;
const carts = new Map<string, string[]>();
const tokenCache = new Map<string, object>();
const progress = new Map<string, number>();
const prefsCache = new Map<string, object>();
app.post('/prefs', (req, res) => {
  prefsCache.set(req.body.userId, req.body.prefs);
  res.end();
});
app.post('/cart', (req, res) => {
  if (!carts.has(req.ip!)) carts.set(req.ip!, []);
  carts.get(req.ip!)!.push(req.body.item);
  res.end();
});
app.post('/login', async (req, res) => {
  const token = randomUUID();
  tokenCache.set(token, await findUser(req.body.email));
  res.json({ token });
});
app.post('/import/:id', async (req, res) => {
  progress.set(req.params.id, 0);
  await findUser(req.params.id);
  progress.delete(req.params.id);
  res.end();
});
`),
    ).toEqual(['no-in-memory-session: carts', 'no-in-memory-session: tokenCache', 'no-in-memory-session: prefsCache']);
  });

  it('guard-then-release flags and sets are locks; single-flight maps of reads and one-way flags belong to no rule', () => {
    expect(
      stateRules(`${EXPRESS}
declare function charge(id: string): Promise<void>;
declare function getRates(c: string): Promise<number>;
let syncing = false;
const paying = new Set<string>();
const inFlight = new Map<string, Promise<number>>();
let warmedUp = false;
app.post('/sync', async (req, res) => {
  if (syncing) return res.status(409).end();
  syncing = true;
  try { await charge('all'); } finally { syncing = false; }
  res.end();
});
app.post('/pay/:id', async (req, res) => {
  if (paying.has(req.params.id)) return res.status(409).end();
  paying.add(req.params.id);
  try { await charge(req.params.id); } finally { paying.delete(req.params.id); }
  res.end();
});
app.get('/rates/:c', async (req, res) => {
  warmedUp = true;
  const running = inFlight.get(req.params.c);
  if (running) return res.json(await running);
  const request = getRates(req.params.c).finally(() => inFlight.delete(req.params.c));
  inFlight.set(req.params.c, request);
  res.json(await request);
});
`),
    ).toEqual(['no-in-process-lock: syncing', 'no-in-process-lock: paying']);
  });
});

describe('records loaded per key, locks that are not locks', () => {
  it('a map of documents built from rows loaded for their key is a cache, not session state; a per-request computation is neither', () => {
    expect(
      stateRules(`${EXPRESS}
declare const maps: { findMap(id: string): Promise<{ name: string }>; findNodes(id: string): Promise<string[]> };
declare function buildDoc(map: { name: string }, nodes: string[]): object;
declare function render(id: string, theme: string): string;
class Docs {
  private static docs = new Map<string, { doc: object; timer: ReturnType<typeof setTimeout> | null }>();
  static async hydrate(mapId: string) {
    const [map, nodes] = await Promise.all([maps.findMap(mapId), maps.findNodes(mapId)]);
    const doc = buildDoc(map, nodes);
    Docs.docs.set(mapId, { doc, timer: null });
    return doc;
  }
}
const previews = new Map<string, string>();
app.get('/maps/:id', async (req, res) => res.json(await Docs.hydrate(req.params.id)));
app.post('/maps/:id/preview', (req, res) => {
  previews.set(req.params.id, render(req.params.id, req.body.theme));
  res.end();
});
`),
    ).toEqual(['no-process-local-cache: docs', 'no-in-memory-session: previews']);
  });

  it('a lazily computed value with a fallback in its catch, an entry dropped by an event listener, and a flag around a read-only refresh are not locks', () => {
    expect(
      stateRules(`${EXPRESS}
declare function locateRepoRoot(): string;
declare function fetchJson(url: string): Promise<object>;
declare class Note { constructor(id: string); on(event: 'destroy', listener: () => void): void }
let cachedRoot: string | null | undefined;
const notes = new Map<string, Note>();
let refreshing = false;
let rdap: object | undefined;
function root(): string | null {
  if (cachedRoot !== undefined) return cachedRoot;
  try {
    cachedRoot = locateRepoRoot();
    return cachedRoot;
  } catch {
    cachedRoot = null;
    return null;
  }
}
function open(id: string): Note {
  if (notes.has(id)) throw new Error('open already');
  const note = new Note(id);
  note.on('destroy', () => notes.delete(id));
  notes.set(id, note);
  return note;
}
async function refresh(): Promise<void> {
  if (refreshing) return;
  refreshing = true;
  try {
    rdap = await fetchJson('https://data.iana.org/rdap/dns.json');
  } finally {
    refreshing = false;
  }
}
app.get('/root', (req, res) => res.json(root()));
app.post('/notes/:id', (req, res) => { open(req.params.id); res.end(); });
app.get('/rdap', async (req, res) => { await refresh(); res.json(rdap); });
`),
    ).toEqual([]);
  });
});

describe('disk writes', () => {
  it('reports writes and removals of stored files, not the folders made for them, and not temp files removed again', () => {
    expect(
      messages(`${EXPRESS}
import os from 'node:os';
import path from 'node:path';
app.post('/save', async (req, res) => {
  fs.mkdirSync('data', { recursive: true });
  await fs.promises.writeFile(path.join('data', req.body.name), req.body.text);
  const scratch = path.join(os.tmpdir(), 'export.csv');
  fs.writeFileSync(scratch, 'a,b');
  fs.unlinkSync(scratch);
  res.end();
});
app.post('/prepare', (req, res) => { fs.mkdirSync('cache', { recursive: true }); res.end(); });
app.post('/keep', (req, res) => {
  const kept = path.join(os.tmpdir(), req.body.name);
  fs.writeFileSync(kept, req.body.text);
  fs.unlinkSync(path.join('old', req.body.name));
  res.end();
});
`),
    ).toEqual(['diskWrite: fs.promises.writeFile', 'diskWrite: fs.writeFileSync', 'diskRemove: fs.unlinkSync']);
  });

  it('names the upload storage as it is written', () => {
    expect(messages(`import { diskStorage } from 'multer';\nimport multer from 'multer';\nexport const upload = multer({ storage: diskStorage({ destination: 'up/' }) });\n`)).toEqual(['uploadToDisk: `diskStorage`']);
  });

  it('ignores upload configurations nothing uses, reports Nest interceptors writing to disk', () => {
    expect(messages(`${EXPRESS}\nconst storage = multer.diskStorage({ destination: 'up/' });\nconst upload = multer({ storage });\n`)).toEqual([]);
    expect(
      messages(`import { Controller, Post, UseInterceptors } from '@nestjs/common';
import { FileInterceptor, MulterModule } from '@nestjs/platform-express';
@Controller('files')
export class FilesController {
  @Post() @UseInterceptors(FileInterceptor('photo', { dest: './upload' })) upload() {}
}
export const uploads = MulterModule.register({ dest: './upload' });
`),
    ).toEqual(["uploadToDisk: `dest: './upload'`", "uploadToDisk: `dest: './upload'`"]);
  });

  it('follows CommonJS controllers across files when typed', () => {
    const program = createProgram({
      '/project/src/app.js': `const express = require('express');\nconst ctrl = require('./ctrl');\nconst app = express();\napp.post('/save', ctrl.save);\n`,
      '/project/src/ctrl.js': `const fs = require('fs');\nexports.save = (req, res) => { fs.writeFileSync('data/' + req.body.name, req.body.text); res.end(); };\n`,
    });
    const ctrl = program.getSourceFile('/project/src/ctrl.js')!;
    expect(analyzeSourceFile(ctrl, { program, projectRoot: '/project', rules: ['no-local-disk-write'] }).map((finding) => finding.message)).toEqual([
      "`fs.writeFileSync` writes to this instance's local disk on POST /save (src/app.js:4). Other instances will not find the file, and it is lost when this instance is replaced.",
    ]);
  });
});

describe('a reassigned require binding is the importer\'s own variable', () => {
  // The route replaces app.js's `config`; config.js keeps what it loaded. A setter the route calls
  // in config.js does change config.js's variable. app.js's `config`, loaded at start-up and
  // replaced whole by the route, is one copy of shared data: the cache rule's, not a session.
  const files = {
    'src/config.js': `const fs = require('fs');\nlet config = {};\ntry { config = JSON.parse(fs.readFileSync('conf.json', 'utf8')); } catch (e) { config = {}; }\nmodule.exports = config;\n`,
    'src/store.js': `let current = {};\nexports.replace = (next) => { current = next; };\nexports.get = () => current;\n`,
    'src/app.js': `const express = require('express');\nconst store = require('./store');\nlet config = require('./config');\nconst app = express();\napp.post('/config', (req, res) => { config = req.body.config; store.replace(req.body.config); res.end(); });\napp.get('/config', (req, res) => res.json({ config, current: store.get() }));\n`,
  };
  const expected = { app: ['no-process-local-cache: config'], config: [], store: ['no-in-memory-session: current'] };
  const names = (found: readonly { ruleId: string; data: Record<string, string> }[]) => found.map((finding) => `${finding.ruleId}: ${finding.data.name}`);

  it('typed', () => {
    const program = createProgram(Object.fromEntries(Object.entries(files).map(([name, text]) => [`/project/${name}`, text])));
    const run = (file: string) => names(analyzeSourceFile(program.getSourceFile(`/project/src/${file}.js`)!, { program, projectRoot: '/project', rules: ['no-in-memory-session', 'no-process-local-cache'] }));
    expect({ app: run('app'), config: run('config'), store: run('store') }).toEqual(expected);
  });

  it('untyped, with the project index', () => {
    const root = writeProject({ 'package.json': '{ "name": "app" }', ...files });
    try {
      const index = new ProjectIndex(root);
      const run = (file: string) => names(analyzeSourceFile(index.sourceFile(`${root}/src/${file}.js`)!, { projectIndex: index, projectRoot: root, rules: ['no-in-memory-session', 'no-process-local-cache'] }));
      expect({ app: run('app'), config: run('config'), store: run('store') }).toEqual(expected);
    } finally {
      removeProject(root);
    }
  });
});
