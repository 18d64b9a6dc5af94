import { afterAll, describe, expect, it } from 'vitest';
import { getRequestGraph } from '../index';
import { createProgram } from '../testing/program';
import { analyseUntyped, removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// State a service builds inside `main()` as it starts (a store made by a factory or a static `create`,
// a socket manager, a task queue) and hands to its handlers through a state object: one instance per
// process, as a module-level singleton is. And the WebSocket routes express-ws adds to an Express app,
// the ES module services (`.js` specifiers naming `.ts` files) such state is often written in.

afterAll(removeAnalysedProjects);

const SESSION_AND_COUNTER = ['no-in-memory-session', 'no-in-memory-counter'] as const;

/** A game server whose `main()` builds its state: the store through a factory and a static `create`, handed to the routes in one object. */
const gameServer = (store: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'package.json': '{ "name": "game-server", "type": "module" }',
  'src/index.ts': `import express from 'express';
import expressWs from 'express-ws';
import * as ServerState from './server-state.js';

async function main(): Promise<void> {
  const { app } = expressWs(express());
  const state = await ServerState.create({ storage: process.env.STORAGE ?? 'memory' });
  app.post('/api/games', async (req, res) => {
    res.status(201).json(await state.store.newLobby(String(req.body.name)));
  });
  app.ws('/api/games/:code', (socket, req) => {
    socket.on('message', async () => socket.send(JSON.stringify(await state.store.lobby(req.params.code))));
  });
  app.listen(8080);
}

main().catch(() => process.exit(1));
`,
  'src/server-state.ts': `import * as Stores from './store/stores.js';
import type { Store } from './store/store.js';

export interface ServerState {
  config: { storage: string };
  store: Store;
}

export async function create(config: { storage: string }): Promise<ServerState> {
  const store = await Stores.from(config);
  return { config, store };
}
`,
  'src/store/store.ts': `export interface Store {
  newLobby(name: string): Promise<string>;
  lobby(code: string): Promise<{ name: string } | undefined>;
}
`,
  'src/store/stores.ts': `import { LobbyStore } from './lobby-store.js';
import type { Store } from './store.js';

export async function from(config: { storage: string }): Promise<Store> {
  switch (config.storage) {
    case 'memory':
      return new LobbyStore(config.storage);
    default:
      throw new Error('unknown storage ' + config.storage);
  }
}
`,
  'src/store/lobby-store.ts': store,
  ...extra,
});

const IN_MEMORY_STORE = `import type { Store } from './store.js';

export class LobbyStore implements Store {
  private readonly lobbies = new Map<string, { name: string }>();
  private nextLobby = 0;

  static async create(config: { storage: string }): Promise<LobbyStore> {
    return new LobbyStore(config.storage);
  }

  constructor(readonly storage: string) {}

  async newLobby(name: string): Promise<string> {
    const code = String(this.nextLobby++);
    this.lobbies.set(code, { name });
    return code;
  }

  async lobby(code: string): Promise<{ name: string } | undefined> {
    return this.lobbies.get(code);
  }
}
`;

describe('state main() builds through factories and hands to the handlers in a state object', () => {
  const expected = [
    '4:20 no-in-memory-session: `lobbies` holds application data in this process; it is written by POST /api/games (src/index.ts:8). A second instance will not see it.',
    '5:11 no-in-memory-counter: `nextLobby` counts in this process; it is changed by POST /api/games (src/index.ts:8). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
  ];

  it('the lobbies and the game-code counter of the store the storage factory makes are the process’s (untyped)', () => {
    expect(untypedFindings(gameServer(IN_MEMORY_STORE), 'src/store/lobby-store.ts', [...SESSION_AND_COUNTER])).toEqual(expected);
  });

  it('the same, typed', () => {
    expect(typedFindings(gameServer(IN_MEMORY_STORE), 'src/store/lobby-store.ts', [...SESSION_AND_COUNTER])).toEqual(expected);
  });

  it('a store made by its class’s static create, which the state factory awaits, is the process’s too (untyped and typed)', () => {
    const files = gameServer(IN_MEMORY_STORE, {
      'src/server-state.ts': `import { LobbyStore } from './store/lobby-store.js';
import type { Store } from './store/store.js';

export interface ServerState {
  config: { storage: string };
  store: Store;
}

export async function create(config: { storage: string }): Promise<ServerState> {
  const store = await LobbyStore.create(config);
  return { config, store };
}
`,
    });
    expect(untypedFindings(files, 'src/store/lobby-store.ts', [...SESSION_AND_COUNTER])).toEqual(expected);
    expect(typedFindings(files, 'src/store/lobby-store.ts', [...SESSION_AND_COUNTER])).toEqual(expected);
  });

  it('look-alike: a store the factory backs with Redis keeps nothing in its fields', () => {
    const redisStore = `import { createClient } from 'redis';
import type { Store } from './store.js';

export class LobbyStore implements Store {
  private readonly client = createClient({ url: process.env.REDIS_URL });

  static async create(config: { storage: string }): Promise<LobbyStore> {
    const store = new LobbyStore(config.storage);
    await store.client.connect();
    return store;
  }

  constructor(readonly storage: string) {}

  async newLobby(name: string): Promise<string> {
    const code = String(await this.client.incr('lobby:next'));
    await this.client.hSet('lobby:' + code, { name });
    return code;
  }

  async lobby(code: string): Promise<{ name: string } | undefined> {
    const found = await this.client.hGetAll('lobby:' + code);
    return found.name === undefined ? undefined : { name: found.name };
  }
}
`;
    expect(untypedFindings(gameServer(redisStore), 'src/store/lobby-store.ts', [...SESSION_AND_COUNTER])).toEqual([]);
    expect(typedFindings(gameServer(redisStore), 'src/store/lobby-store.ts', [...SESSION_AND_COUNTER])).toEqual([]);
  });

  it('look-alike: a class start-up makes that requests make too is made per request, not once per process', () => {
    const files = gameServer(IN_MEMORY_STORE, {
      'src/store/stores.ts': `import { LobbyStore } from './lobby-store.js';
import type { Store } from './store.js';

export async function from(config: { storage: string }): Promise<Store> {
  return LobbyStore.create(config);
}

/** A scratch store for one request's preview. */
export async function preview(name: string): Promise<string> {
  const scratch = await LobbyStore.create({ storage: 'memory' });
  return scratch.newLobby(name);
}
`,
      'src/index.ts': `import express from 'express';
import * as ServerState from './server-state.js';
import * as Stores from './store/stores.js';

async function main(): Promise<void> {
  const app = express();
  const state = await ServerState.create({ storage: 'memory' });
  app.post('/api/games', async (req, res) => {
    res.status(201).json(await state.store.newLobby(String(req.body.name)));
  });
  app.post('/api/preview', async (req, res) => {
    res.json(await Stores.preview(String(req.body.name)));
  });
  app.listen(8080);
}

main();
`,
    });
    // `create` runs per request too: its `new LobbyStore` is no start-up creation.
    expect(untypedFindings(files, 'src/store/lobby-store.ts', [...SESSION_AND_COUNTER])).toEqual([]);
    expect(typedFindings(files, 'src/store/lobby-store.ts', [...SESSION_AND_COUNTER])).toEqual([]);
  });

  it('look-alike: a configuration object start-up makes and requests only read', () => {
    const files = {
      'src/config.ts': `export class Settings {
  private readonly limits = new Map<string, number>();
  constructor(env: Record<string, string | undefined>) {
    this.limits.set('upload', Number(env.UPLOAD_LIMIT ?? 10));
  }
  limit(name: string): number {
    return this.limits.get(name) ?? 0;
  }
}
`,
      'src/index.ts': `import express from 'express';
import { Settings } from './config.js';

function start(): void {
  const settings = new Settings(process.env);
  const app = express();
  app.get('/api/limits/:name', (req, res) => res.json(settings.limit(req.params.name)));
  app.listen(8080);
}

start();
`,
    };
    expect(untypedFindings(files, 'src/config.ts', [...SESSION_AND_COUNTER])).toEqual([]);
    expect(typedFindings(files, 'src/config.ts', [...SESSION_AND_COUNTER])).toEqual([]);
  });
});

describe('express-ws routes', () => {
  it('app.ws(path, handler) on an app express-ws patched is an entry, typed and untyped', () => {
    const files = gameServer(IN_MEMORY_STORE);
    const { sourceFile, index, root } = analyseUntyped(files, 'src/index.ts');
    const untyped = getRequestGraph(sourceFile, { projectIndex: index, projectRoot: root }).entries.map((entry) => entry.label);
    expect(untyped).toContain('WS /api/games/:code');
    const program = createProgram(Object.fromEntries(Object.entries(files).map(([name, text]) => [`/project/${name}`, text])));
    const typed = getRequestGraph(program.getSourceFile('/project/src/index.ts')!, { program, projectRoot: '/project' }).entries.map((entry) => entry.label);
    expect(typed).toContain('WS /api/games/:code');
  });

  it('what a WebSocket route writes is reported with its route', () => {
    const files = {
      'server.ts': `import express from 'express';
import expressWs from 'express-ws';

const typing = new Map<string, number>();
const { app } = expressWs(express());
app.ws('/chat/:room', (socket, req) => {
  socket.on('message', () => {
    typing.set(req.params.room, (typing.get(req.params.room) ?? 0) + 1);
  });
});
app.listen(8080);
`,
    };
    const expected = [
      '4:7 no-in-memory-counter: `typing` counts in this process; it is changed by WS /chat/:room (server.ts:6). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untypedFindings(files, 'server.ts', ['no-in-memory-counter'])).toEqual(expected);
    expect(typedFindings(files, 'server.ts', ['no-in-memory-counter'])).toEqual(expected);
  });

  it('look-alike: a ws(path, callback) of something else, in a file that does not import express-ws, is no route', () => {
    const files = {
      'server.ts': `import express from 'express';
import { connect } from './feed.js';

const seen = new Map<string, number>();
const feed = connect(process.env.FEED_URL);
feed.ws('/ticker', (message: { symbol: string }) => {
  seen.set(message.symbol, (seen.get(message.symbol) ?? 0) + 1);
});
express().listen(8080);
`,
      'feed.ts': `export function connect(url: string | undefined) {
  return { ws(path: string, listener: (message: { symbol: string }) => void) { void url; void path; void listener; } };
}
`,
    };
    expect(untypedFindings(files, 'server.ts', ['no-in-memory-counter'])).toEqual([]);
    expect(typedFindings(files, 'server.ts', ['no-in-memory-counter'])).toEqual([]);
  });
});

describe('a task queue start-up makes: jobs put at its front, taken off its back by the tick, paced per tick', () => {
  const files = (queue: string): Record<string, string> => ({
    'src/tasks.ts': queue,
    'src/index.ts': `import express from 'express';
import { Queue } from './tasks.js';

async function main(): Promise<void> {
  const tasks = new Queue(5);
  const app = express();
  app.post('/api/decks', (req, res) => {
    tasks.enqueue(String(req.body.url));
    res.sendStatus(202);
  });
  setInterval(() => tasks.process(), 1000);
  app.listen(8080);
}

main();
`,
  });

  const QUEUE = `import { loadDeck } from './decks.js';

export class Queue {
  private readonly tasks: string[] = [];
  private startedThisTick = 0;

  constructor(readonly rateLimit: number) {}

  enqueue(task: string): void {
    if (this.startedThisTick <= this.rateLimit) this.start(task);
    else this.tasks.unshift(task);
  }

  process(): void {
    this.startedThisTick = 0;
    while (this.startedThisTick <= this.rateLimit) {
      const task = this.tasks.pop();
      if (task === undefined) break;
      this.start(task);
    }
  }

  private start(task: string): void {
    this.startedThisTick += 1;
    void loadDeck(task);
  }
}
`;
  const decks = { 'src/decks.ts': 'export async function loadDeck(url: string): Promise<void> { await fetch(url); }\n' };

  it('the queue and the count of jobs started this tick are this process’s own work (untyped and typed)', () => {
    expect(untypedFindings({ ...files(QUEUE), ...decks }, 'src/tasks.ts', [...SESSION_AND_COUNTER])).toEqual([]);
    expect(typedFindings({ ...files(QUEUE), ...decks }, 'src/tasks.ts', [...SESSION_AND_COUNTER])).toEqual([]);
  });

  it('look-alike: a count a timer resets that turns requests away over a quota stays a counter; a history pushed and popped by requests stays a session', () => {
    const quota = `export class Queue {
  private readonly history: string[] = [];
  private calledThisMinute = 0;

  constructor(readonly rateLimit: number) {}

  enqueue(task: string): void {
    if (this.calledThisMinute >= this.rateLimit) throw new Error('quota exceeded');
    this.calledThisMinute += 1;
    this.history.push(task);
  }

  undo(): string | undefined {
    return this.history.pop();
  }

  process(): void {
    this.calledThisMinute = 0;
  }
}
`;
    const withUndo = files(quota);
    withUndo['src/index.ts'] = withUndo['src/index.ts'].replace("setInterval(", "app.post('/api/undo', (req, res) => res.json(tasks.undo()));\n  setInterval(");
    const expected = [
      '2:20 no-in-memory-session: `history` holds application data in this process; it is written by POST /api/decks (src/index.ts:7) and 1 other route. A second instance will not see it.',
      '3:11 no-in-memory-counter: `calledThisMinute` counts in this process; it is changed by POST /api/decks (src/index.ts:7). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untypedFindings(withUndo, 'src/tasks.ts', [...SESSION_AND_COUNTER])).toEqual(expected);
    expect(typedFindings(withUndo, 'src/tasks.ts', [...SESSION_AND_COUNTER])).toEqual(expected);
  });
});

describe('a socket manager main() makes, whose connections another module sends to through its accessor', () => {
  const files = (send: string): Record<string, string> => ({
    'src/sockets.ts': `import type WebSocket from 'ws';

export class Registry {
  private readonly sockets: Map<string, Map<string, Set<WebSocket>>>;

  constructor() {
    this.sockets = new Map();
  }

  add(room: string, user: string, socket: WebSocket): void {
    const users = this.users(room);
    users.set(user, (users.get(user) ?? new Set()).add(socket));
  }

  *get(room: string, user: string): Iterable<WebSocket> {
    const found = this.users(room).get(user);
    if (found !== undefined) yield* found;
  }

  /** Whether the user has no socket left in the room. */
  delete(room: string, user: string, socket: WebSocket): boolean {
    const users = this.users(room);
    const found = users.get(user);
    if (found === undefined) return false;
    found.delete(socket);
    if (found.size > 0) return false;
    users.delete(user);
    if (users.size < 1) {
      this.sockets.delete(room);
    }
    return true;
  }

  private users(room: string): Map<string, Set<WebSocket>> {
    const existing = this.sockets.get(room);
    if (existing === undefined) {
      const created = new Map<string, Set<WebSocket>>();
      this.sockets.set(room, created);
      return created;
    } else {
      return existing;
    }
  }
}
`,
    'src/events.ts': `import type * as Sockets from './sockets.js';

export function tell(sockets: Sockets.Registry, room: string, users: string[], message: string): void {
  for (const user of users) {
${send}
  }
}
`,
    'src/index.ts': `import express from 'express';
import expressWs from 'express-ws';
import { tell } from './events.js';
import { Registry } from './sockets.js';

async function main(): Promise<void> {
  const { app } = expressWs(express());
  const state = { sockets: new Registry() };
  app.ws('/rooms/:room', (socket, req) => {
    socket.on('message', (data) => {
      const { user, to } = JSON.parse(String(data)) as { user: string; to: string[] };
      state.sockets.add(req.params.room, user, socket);
      tell(state.sockets, req.params.room, to, String(data));
      socket.on('close', () => state.sockets.delete(req.params.room, user, socket));
    });
  });
  app.listen(8080);
}

main();
`,
  });

  const SENDS = `    const userSockets = sockets.get(room, user);
    for (const socket of userSockets) socket.send(message);`;
  const expected = [
    '4:20 no-in-memory-pubsub: `sockets` lists the clients connected to this instance; WS /rooms/:room (src/index.ts:9) adds to it and WS /rooms/:room (src/index.ts:9) sends to its entries. Clients connected to other instances never get the message.',
  ];

  it('the loop over what the registry’s accessor hands out sends to its connections (untyped and typed)', () => {
    expect(untypedFindings(files(SENDS), 'src/sockets.ts', ['no-in-memory-pubsub'])).toEqual(expected);
    expect(typedFindings(files(SENDS), 'src/sockets.ts', ['no-in-memory-pubsub'])).toEqual(expected);
  });

  it('look-alike: a loop over the accessor that only counts the connections sends nothing', () => {
    const counts = `    let open = 0;
    for (const socket of sockets.get(room, user)) if (socket.readyState === 1) open += 1;
    console.log(message, open);`;
    expect(untypedFindings(files(counts), 'src/sockets.ts', ['no-in-memory-pubsub'])).toEqual([]);
    expect(typedFindings(files(counts), 'src/sockets.ts', ['no-in-memory-pubsub'])).toEqual([]);
  });
});

describe('a server class start-up makes: temporary pages it closes again, and the server that runs', () => {
  const files = (index: string): Record<string, string> => ({
    'src/page-server.ts': `import express from 'express';
import type { Server } from 'node:http';

export class PageServer {
  private readonly visits = new Map<string, number>();
  private server: Server | undefined;

  start(port: number): void {
    const app = express();
    app.get('/status/:id', (req, res) => {
      this.visits.set(req.params.id, (this.visits.get(req.params.id) ?? 0) + 1);
      res.send('working');
    });
    this.server = app.listen(port);
  }

  stop(): void {
    this.server?.close();
  }
}
`,
    'src/index.ts': index,
  });

  it('look-alike: a status page start-up serves while it migrates and stops once done keeps nothing past start-up (untyped and typed)', () => {
    const migrating = files(`import { PageServer } from './page-server.js';
import { migrate } from './migrate.js';

async function main(): Promise<void> {
  const page = new PageServer();
  page.start(8081);
  await migrate();
  page.stop();
}

main();
`);
    migrating['src/migrate.ts'] = 'export async function migrate(): Promise<void> {}\n';
    expect(untypedFindings(migrating, 'src/page-server.ts', ['no-in-memory-counter'])).toEqual([]);
    expect(typedFindings(migrating, 'src/page-server.ts', ['no-in-memory-counter'])).toEqual([]);
  });

  it('a server class main() starts and only a shutdown signal stops runs for the life of the process (untyped and typed)', () => {
    const serving = files(`import { PageServer } from './page-server.js';

async function main(): Promise<void> {
  const server = new PageServer();
  server.start(8080);
  process.on('SIGTERM', () => server.stop());
}

main();
`);
    const expected = [
      '5:20 no-in-memory-counter: `visits` counts in this process; it is changed by GET /status/:id (src/page-server.ts:10). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untypedFindings(serving, 'src/page-server.ts', ['no-in-memory-counter'])).toEqual(expected);
    expect(typedFindings(serving, 'src/page-server.ts', ['no-in-memory-counter'])).toEqual(expected);
  });
});
