import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Idiom classes behind misses of no-process-local-cache read in the corpus (round 18 of
// test/real-world), written here in other shapes: each hazard, and the look-alikes that stay quiet.

afterAll(removeAnalysedProjects);

describe('a field the constructor’s parameter declares, replaced by a request', () => {
  const service = (update: string) => `import { Inject, Injectable, OnModuleInit } from '@nestjs/common';

interface Flag { name: string; value: string }
declare const db: { flag: { findMany(): Promise<Flag[]>; update(args: object): Promise<Flag> } };

@Injectable()
export class FlagService implements OnModuleInit {
  constructor(
    @Inject('FLAGS') private flags: Flag[],
    @Inject('DEFAULTS') private readonly defaults: Flag[],
  ) {}

  async onModuleInit() {
    this.flags = await db.flag.findMany();
  }

  get(name: string) {
    return this.flags.find((flag) => flag.name === name)?.value ?? this.defaults.find((flag) => flag.name === name)?.value;
  }

  async set(name: string, value: string) {
    const saved = await db.flag.update({ where: { name }, data: { value } });
${update}
    return saved;
  }
}
`;
  const controller = `import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { FlagService } from './flag.service';

@Controller('flags')
export class FlagController {
  constructor(private readonly flagService: FlagService) {}

  @Get(':name') get(@Param('name') name: string) { return this.flagService.get(name); }
  @Patch(':name') set(@Param('name') name: string, @Body() body: { value: string }) { return this.flagService.set(name, body.value); }
}
`;

  it('`constructor(@Inject(…) private flags: Flag[])` reloaded by PATCH: each instance keeps its own copy (untyped and typed)', () => {
    const files = { 'flag.service.ts': service('    this.flags = await db.flag.findMany();'), 'flag.controller.ts': controller };
    const expected = [
      '9:30 no-process-local-cache: `flags` caches shared data in this process; it is written by PATCH /flags/:name (FlagController.set, flag.controller.ts:9). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'flag.service.ts', ['no-process-local-cache', 'no-in-memory-session'])).toEqual(expected);
    expect(typed(files, 'flag.service.ts', ['no-process-local-cache', 'no-in-memory-session'])).toEqual(expected);
  });

  it('quiet: a parameter field loaded only at start-up, and an injected service the request only calls (untyped and typed)', () => {
    const files = { 'flag.service.ts': service('    void this.get(name);'), 'flag.controller.ts': controller };
    expect(untyped(files, 'flag.service.ts')).toEqual([]);
    expect(typed(files, 'flag.service.ts')).toEqual([]);
    expect(untyped(files, 'flag.controller.ts')).toEqual([]);
    expect(typed(files, 'flag.controller.ts')).toEqual([]);
  });
});

describe('`this` in a method of an exported object literal, called on the module', () => {
  const backup = `declare const db: { dump(): Promise<string> };

export default {
  backupStatus: { state: 'idle', startedAt: 0 },
  limit: 3,
  async backup() {
    this.backupStatus.state = 'running';
    this.backupStatus.startedAt = Date.now();
    try {
      await db.dump();
      this.backupStatus.state = 'done';
    } catch {
      this.backupStatus.state = 'failed';
    }
  },
};
`;
  const routes = (start: string, guard = "  if (backups.backupStatus.state === 'running') return res.status(409).end();") => `import express from 'express';
import backups from './backup';

const app = express();
app.get('/backup', (req, res) => { res.json(backups.backupStatus); });
app.post('/backup', (req, res) => {
${guard}
${start}
  res.status(202).end();
});
app.listen(3000);
`;

  it('`backups.backup()` from POST /backup sets the status it refuses a second run by: each instance has its own (untyped and typed)', () => {
    const files = { 'backup.ts': backup, 'server.ts': routes('  void backups.backup();') };
    const expected = [
      '4:3 no-in-process-lock: `backupStatus` guards work only within this process; it is taken by POST /backup (server.ts:6). A request on another instance does not see it and runs the same work at the same time.',
    ];
    expect(untyped(files, 'backup.ts')).toEqual(expected);
    expect(typed(files, 'backup.ts')).toEqual(expected);
  });

  const settings = `declare const db: { settings: { findAll(): Promise<Record<string, string>> } };

export default {
  values: {} as Record<string, string>,
  get(key: string) {
    return this.values[key];
  },
  async reload() {
    this.values = await db.settings.findAll();
  },
};
`;
  const settingsRoutes = (reload: string) => `import express from 'express';
import settings from './settings';

declare const db: { settings: { save(values: object): Promise<void> } };
const app = express();
app.get('/settings/:key', (req, res) => { res.json(settings.get(req.params.key)); });
${reload}
app.listen(3000);
`;

  it('`settings.reload()` after a request saved the settings: the other instances keep the old values (untyped and typed)', () => {
    const files = { 'settings.ts': settings, 'server.ts': settingsRoutes("app.post('/settings', async (req, res) => { await db.settings.save(req.body); await settings.reload(); res.end(); });") };
    const expected = [
      '4:3 no-process-local-cache: `values` caches shared data in this process; it is written by POST /settings (server.ts:7). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'settings.ts')).toEqual(expected);
    expect(typed(files, 'settings.ts')).toEqual(expected);
  });

  it('quiet: a reload the route announces to the other instances, which run the same reload (untyped and typed)', () => {
    const events = `import { EventEmitter } from 'node:events';
import settings from './settings';

export const outbound = new EventEmitter();
export const inbound = new EventEmitter();
inbound.on('reload', () => settings.reload());
`;
    const files = {
      'settings.ts': settings,
      'events.ts': events,
      'server.ts': settingsRoutes("import { outbound } from './events';\napp.post('/settings', async (req, res) => { await db.settings.save(req.body); await settings.reload(); outbound.emit('reload'); res.end(); });"),
    };
    expect(untyped(files, 'settings.ts')).toEqual([]);
    expect(typed(files, 'settings.ts')).toEqual([]);
  });

  it('quiet: the same method handed to a router, whose `this` is not the module (untyped and typed)', () => {
    const files = { 'settings.ts': settings, 'server.ts': settingsRoutes("app.post('/settings/reload', settings.reload);") };
    expect(untyped(files, 'settings.ts')).toEqual([]);
    expect(typed(files, 'settings.ts')).toEqual([]);
  });

  it('quiet: a status the run only reports, which no caller tests before starting it (untyped and typed)', () => {
    const files = { 'backup.ts': backup, 'server.ts': routes('  void backups.backup();', '  res.setHeader(\'x-previous\', backups.backupStatus.state);') };
    expect(untyped(files, 'backup.ts')).toEqual([]);
    expect(typed(files, 'backup.ts')).toEqual([]);
  });
});

describe('a field a getter loads on first use, dropped or replaced by a request', () => {
  const store = `declare const db: { settings: { findFirst(): Promise<{ theme: string; signups: boolean }> } };

export class SettingsStore {
  private _settings?: { theme: string; signups: boolean };

  async current() {
    if (!this._settings) this._settings = await db.settings.findFirst();
    return this._settings;
  }

  invalidate() {
    this._settings = undefined;
  }
}

export const settingsStore = new SettingsStore();
`;
  const routes = (save: string) => `import express from 'express';
import { settingsStore } from './settings-store';

declare const db: { settings: { update(values: object): Promise<void> } };
const app = express();
app.get('/settings', async (req, res) => { res.json(await settingsStore.current()); });
app.put('/settings', async (req, res) => {
  await db.settings.update(req.body);
${save}
  res.status(204).end();
});
app.listen(3000);
`;

  it('`settingsStore.invalidate()` after PUT /settings saved them: this instance reloads, the others keep their copy (untyped and typed)', () => {
    const files = { 'settings-store.ts': store, 'server.ts': routes('  settingsStore.invalidate();') };
    const expected = [
      '4:11 no-process-local-cache: `_settings` caches shared data in this process; it is written by PUT /settings (server.ts:7). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files, 'settings-store.ts')).toEqual(expected);
    expect(typed(files, 'settings-store.ts')).toEqual(expected);
  });

  it('quiet: loaded on first use and never dropped by a request (untyped and typed)', () => {
    const files = { 'settings-store.ts': store, 'server.ts': routes('') };
    expect(untyped(files, 'settings-store.ts')).toEqual([]);
    expect(typed(files, 'settings-store.ts')).toEqual([]);
  });

  it('quiet: a connection made on first use and dropped by a request to reconnect (untyped and typed)', () => {
    const connection = store
      .replace('private _settings?: { theme: string; signups: boolean };', 'private _settings?: { theme: string; signups: boolean };\n  private _conn?: { query(sql: string): Promise<unknown> };')
      .replace('  invalidate() {', '  async conn() {\n    if (!this._conn) this._conn = await connect(process.env.DB_URL);\n    return this._conn;\n  }\n\n  dropConn() {\n    this._conn = undefined;\n  }\n\n  invalidate() {')
      .replace('declare const db:', 'declare function connect(url?: string): Promise<{ query(sql: string): Promise<unknown> }>;\ndeclare const db:');
    const files = { 'settings-store.ts': connection, 'server.ts': routes('  settingsStore.dropConn();') };
    expect(untyped(files, 'settings-store.ts')).toEqual([]);
    expect(typed(files, 'settings-store.ts')).toEqual([]);
  });
});

describe('a handler destructured from a barrel of more modules than `Object.assign`’s typed overloads take', () => {
  // Five sources: the checker types the barrel `any`, so typed resolution reads the barrel's syntax, as untyped does.
  const barrel = `const chat = require('./events/chat');
const lobby = require('./events/lobby');
const profile = require('./events/profile');
const reports = require('./events/reports');
const admin = require('./events/admin');

module.exports = Object.assign({}, chat, lobby, profile, reports, admin);
`;
  const files = (admin: string) => ({
    'state.js': `module.exports.registrationClosed = { value: false };\nmodule.exports.motd = { text: 'Welcome' };\n`,
    'events.js': barrel,
    'events/chat.js': `module.exports.onChat = (socket, text) => socket.broadcast.emit('chat', text);\n`,
    'events/lobby.js': `module.exports.onJoin = (socket, room) => socket.join(room);\n`,
    'events/profile.js': `module.exports.onProfile = (socket) => socket.emit('profile', {});\n`,
    'events/reports.js': `module.exports.onReport = (socket) => socket.emit('reported');\n`,
    'events/admin.js': admin,
    'server.js': `const { Server } = require('socket.io');
const { onChat, onJoin, onAdminCommand } = require('./events');
const { registrationClosed } = require('./state');

const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('chat', (text) => onChat(socket, text));
  socket.on('join', (room) => onJoin(socket, room));
  socket.on('adminCommand', (command) => onAdminCommand(socket, command));
  socket.on('register', () => socket.emit('register', !registrationClosed.value));
});
`,
  });

  it('a switch an admin command turns on and off, read by another handler: reported typed as untyped', () => {
    const admin = `const { registrationClosed } = require('../state');

module.exports.onAdminCommand = (socket, command) => {
  switch (command) {
    case 'closeRegistration':
      registrationClosed.value = true;
      break;
    case 'openRegistration':
      registrationClosed.value = false;
      break;
  }
  socket.emit('done', command);
};
`;
    const expected = [
      '1:16 no-process-local-cache: `registrationClosed` caches shared data in this process; it is written by socket connection (server.js:6) and 1 other handler. When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untyped(files(admin), 'state.js', ['no-process-local-cache'])).toEqual(expected);
    expect(typed(files(admin), 'state.js', ['no-process-local-cache'])).toEqual(expected);
  });

  it('quiet: the same barrel whose admin command only reads the switch and the message of the day', () => {
    const admin = `const { registrationClosed, motd } = require('../state');

module.exports.onAdminCommand = (socket, command) => {
  if (command === 'status') socket.emit('status', { closed: registrationClosed.value, motd: motd.text });
};
`;
    expect(untyped(files(admin), 'state.js')).toEqual([]);
    expect(typed(files(admin), 'state.js')).toEqual([]);
  });
});

describe('a record built from an entry another module’s list gives by a predicate (`list.find((p) => …)`)', () => {
  const files = (host: string) => ({
    'lobby.js': `module.exports.players = [];\n`,
    'rooms.js': `const { players } = require('./lobby');
const rooms = {};

module.exports.openRoom = async (socket, name) => {
  const host = ${host};
  const room = { id: socket.id + ':' + name, name, host, seats: [] };
  rooms[room.id] = room;
  socket.emit('room', room.id);
};
`,
    'server.js': `const { Server } = require('socket.io');
const { players } = require('./lobby');
const { openRoom } = require('./rooms');

const io = new Server(3000);
io.on('connection', (socket) => {
  socket.on('hello', (name) => players.push({ id: socket.id, name }));
  socket.on('openRoom', (name) => openRoom(socket, name));
});
`,
  });

  it('an array searched in memory is not a load: the rooms players open are their state (untyped and typed)', () => {
    const expected = [
      '2:7 no-in-memory-session: `rooms` holds application data in this process; it is written by socket connection (server.js:6) and 1 other handler. A second instance will not see it.',
    ];
    const project = files('players.find((player) => player.id === socket.id)');
    expect(untyped(project, 'rooms.js', ['no-in-memory-session', 'no-process-local-cache'])).toEqual(expected);
    expect(typed(project, 'rooms.js', ['no-in-memory-session', 'no-process-local-cache'])).toEqual(expected);
  });

  it('look-alike: a list loaded from the database and then searched stays a load, so the room keeps shared data (untyped and typed)', () => {
    const project = { ...files('(await Player.findAll()).find((player) => player.id === socket.id)'), 'player.js': `module.exports = { findAll: async () => [] };\n` };
    project['rooms.js'] = project['rooms.js'].replace("const { players } = require('./lobby');", "const Player = require('./player');");
    const found = untyped(project, 'rooms.js', ['no-in-memory-session', 'no-process-local-cache']);
    expect(found).toEqual(typed(project, 'rooms.js', ['no-in-memory-session', 'no-process-local-cache']));
    expect(found).toEqual([
      '2:7 no-process-local-cache: `rooms` caches shared data in this process; it is written by socket connection (server.js:6) and 1 other handler. When another instance changes that data, this copy stays stale until this process restarts.',
    ]);
  });
});
