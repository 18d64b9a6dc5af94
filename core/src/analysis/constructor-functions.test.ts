import type { RuleId } from '../types';
import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Older CommonJS services write their classes as constructor functions: `function Lobby() { this.games = [] }`
// with methods put on `Lobby.prototype`, one instance made at start-up (`var lobby = new Lobby()`,
// `module.exports = new Lobby()`). What the constructor puts on `this` is then as much the process's state
// as a singleton class's fields.

afterAll(removeAnalysedProjects);

const untyped = (files: Record<string, string>, file: string): string[] => untypedFindings(files, file, ['no-in-memory-session']);
const typed = (files: Record<string, string>, file: string): string[] => typedFindings(files, file, ['no-in-memory-session']);

const lobby = `function Lobby() {
  this.games = [];
  this.name = 'lobby';
}

Lobby.prototype.open = function (code, host) {
  var game = { code: code, players: [host] };
  this.games.push(game);
  return game;
};

Lobby.prototype.find = function (code) {
  return this.games.find(function (game) {
    return game.code === code;
  });
};

module.exports = Lobby;
`;

describe('a constructor function made once at start-up', () => {
  it('`this.games` set by the constructor and pushed by a prototype method a route calls, typed and untyped', () => {
    const files = {
      'lobby.js': lobby,
      'app.js': `var express = require('express');
var Lobby = require('./lobby');

var app = express();
var lobby = new Lobby();

app.post('/games', function (req, res) {
  res.json(lobby.open(req.body.code, req.body.name));
});

module.exports = app;
`,
    };
    const expected = ['2:8 no-in-memory-session: `games` holds application data in this process; it is written by POST /games (app.js:7). A second instance will not see it.'];
    expect(untyped(files, 'lobby.js')).toEqual(expected);
    expect(typed(files, 'lobby.js')).toEqual(expected);
  });

  it('methods in an object literal given to the prototype, and the instance exported by its own module', () => {
    const files = {
      'sessions.js': `var Sessions = function () {
  this.byToken = {};
};

Sessions.prototype = {
  create: function (token, user) {
    this.byToken[token] = { user: user, at: Date.now() };
  },
  get(token) {
    return this.byToken[token];
  },
};

module.exports = new Sessions();
`,
      'app.js': `var express = require('express');
var sessions = require('./sessions');

var app = express();
app.post('/login', function (req, res) {
  sessions.create(req.body.token, req.body.user);
  res.end();
});
`,
    };
    const expected = ['2:8 no-in-memory-session: `byToken` holds per-user state in this process; it is written by POST /login (app.js:5). A second instance will not see it.'];
    expect(untyped(files, 'sessions.js')).toEqual(expected);
    expect(typed(files, 'sessions.js')).toEqual(expected);
  });

  it('quiet: a constructor function made per request', () => {
    const files = {
      'lobby.js': lobby,
      'app.js': `var express = require('express');
var Lobby = require('./lobby');

var app = express();
app.post('/games', function (req, res) {
  var scratch = new Lobby();
  res.json(scratch.open(req.body.code, req.body.name));
});
`,
    };
    expect(untyped(files, 'lobby.js')).toEqual([]);
    expect(typed(files, 'lobby.js')).toEqual([]);
  });

  it('quiet: a singleton’s fields only read by the routes', () => {
    const files = {
      'lobby.js': lobby,
      'app.js': `var express = require('express');
var Lobby = require('./lobby');

var app = express();
var shared = new Lobby();
app.get('/games/:code', function (req, res) {
  res.json({ game: shared.find(req.params.code), lobby: shared.name });
});
`,
    };
    expect(untyped(files, 'lobby.js')).toEqual([]);
    expect(typed(files, 'lobby.js')).toEqual([]);
  });

  it('quiet: a plain function that assigns to `this` but is called, not constructed, and a prototype method with no constructor in the file', () => {
    const files = {
      'helpers.js': `var express = require('express');
var app = express();

function remember(value) {
  this.seen = [];
  this.seen.push(value);
}

Object.prototype.track = function (value) {
  this.tracked = this.tracked || [];
  this.tracked.push(value);
};

app.post('/notes', function (req, res) {
  remember.call(req, req.body.text);
  req.body.track(req.body.text);
  res.end();
});
`,
    };
    expect(untyped(files, 'helpers.js')).toEqual([]);
    expect(typed(files, 'helpers.js')).toEqual([]);
  });
});

describe('a service hung on the app at start-up and read through the `app` handed to the route modules', () => {
  const app = `var express = require('express');
var Lobby = require('./lobby');

var app = express();
app.use(express.json());
app.lobby = new Lobby();
require('./routes')(app);

module.exports = app;
`;
  const expected = ['2:8 no-in-memory-session: `games` holds application data in this process; it is written by POST /games (routes.js:3). A second instance will not see it.'];

  it('`var lobby = app.lobby` in `module.exports = (app) => {…}`, typed and untyped', () => {
    const files = {
      'lobby.js': lobby,
      'app.js': app,
      'routes.js': `module.exports = (app) => {
  var lobby = app.lobby;
  app.post('/games', (req, res) => {
    res.json(lobby.open(req.body.code, req.body.name));
  });
};
`,
    };
    expect(untyped(files, 'lobby.js')).toEqual(expected);
    expect(typed(files, 'lobby.js')).toEqual(expected);
  });

  it('typed: route modules loaded from their folder by name, which no import names', () => {
    const files = {
      'lobby.js': lobby,
      'app.js': app.replace("require('./routes')(app);", "require('./routes/index')(app);"),
      'routes/index.js': `var fs = require('fs');
module.exports = (app) => {
  fs.readdirSync(__dirname).forEach((file) => {
    if (file !== 'index.js') require('./' + file)(app);
  });
};
`,
      'routes/games.js': `module.exports = (app) => {
  app.post('/games', (req, res) => {
    res.json(app.lobby.open(req.body.code, req.body.name));
  });
};
`,
    };
    expect(typed(files, 'lobby.js')).toEqual([expected[0].replace('(routes.js:3)', '(routes/games.js:2)')]);
  });

  it('quiet: an app that keeps the service but hands itself to no module, whose `app`-named parameters are another object', () => {
    const files = {
      'lobby.js': lobby,
      'app.js': `var express = require('express');
var Lobby = require('./lobby');

var app = express();
app.lobby = new Lobby();
app.listen(3000);
`,
      'plugins.js': `var express = require('express');
var router = express.Router();
module.exports = function install(app) {
  router.post('/games', (req, res) => {
    res.json(app.lobby.open(req.body.code, req.body.name));
  });
  return router;
};
`,
    };
    expect(untyped(files, 'lobby.js')).toEqual([]);
    expect(typed(files, 'lobby.js')).toEqual([]);
  });
});

describe('a switch a request turns on for good', () => {
  const server = (lockBody: string): Record<string, string> => ({
    'server.js': `var express = require('express');

function Server() {
  this.games = [];
  this.locked = false;
}

Server.prototype.lock = function () {
${lockBody}
};

Server.prototype.open = function (code) {
  if (this.locked) return false;
  return code;
};

var server = new Server();
var app = express();
app.post('/admin/lock', function (req, res) {
  server.lock();
  res.end();
});
app.post('/games', function (req, res) {
  res.json({ code: server.open(req.body.code) });
});
`,
  });

  const rules: RuleId[] = ['no-process-local-cache', 'no-in-process-lock'];

  it('an admin’s maintenance lock, raised and never lowered, is a setting the other instances never see, typed and untyped', () => {
    const files = server('  this.locked = true;');
    const expected = [
      '5:8 no-process-local-cache: `locked` caches shared data in this process; it is written by POST /admin/lock (server.js:19). When another instance changes that data, this copy stays stale until this process restarts.',
    ];
    expect(untypedFindings(files, 'server.js', rules)).toEqual(expected);
    expect(typedFindings(files, 'server.js', rules)).toEqual(expected);
  });

  it('quiet for the cache rule: a flag raised where it is tested is a run-once guard, a lock (here around nothing shared)', () => {
    const files = server('  if (this.locked) return;\n  this.locked = true;');
    expect(untypedFindings(files, 'server.js', rules)).toEqual([]);
    expect(typedFindings(files, 'server.js', rules)).toEqual([]);
  });

  it('a flag lowered again is not a switch raised for good: it stays a lock', () => {
    const files = server('  this.locked = true;\n  setImmediate(() => {\n    this.locked = false;\n  });');
    const expected = [
      '5:8 no-in-process-lock: `locked` guards work only within this process; it is taken by POST /admin/lock (server.js:22). A request on another instance does not see it and runs the same work at the same time.',
    ];
    expect(untypedFindings(files, 'server.js', rules)).toEqual(expected);
    expect(typedFindings(files, 'server.js', rules)).toEqual(expected);
  });
});

describe('rooms as constructor functions: one instance per game, kept by a registry, its players\' sockets sent to one by one', () => {
  // drawphone's shape: `new Game(code)` per game kept in the lobby's list; each game lists its players,
  // who hold their sockets, and sends every update by walking that list.
  const game = `var Player = require('./player');

function Game(code) {
  this.code = code;
  this.players = [];
}

Game.prototype.addPlayer = function (name, socket) {
  var player = new Player(name, socket);
  this.players.push(player);
  this.sendToAll('players', this.players.length);
  return player;
};

Game.prototype.sendToAll = function (event, data) {
  this.players.forEach(function (player) {
    player.send(event, data);
  });
};

module.exports = Game;
`;
  const player = `function Player(name, socket) {
  this.name = name;
  this.socket = socket;
}

Player.prototype.send = function (event, data) {
  this.socket.emit(event, data);
};

module.exports = Player;
`;
  const lobby = `var Game = require('./game');

function Lobby() {
  this.games = [];
}

Lobby.prototype.newGame = function (code) {
  var game = new Game(code);
  this.games.push(game);
  return game;
};

module.exports = Lobby;
`;
  // The app keeps the lobby; the socket routes read it through their `app` parameter and remember each
  // socket's game in a variable of the connection that its events set.
  const app = `var http = require('http');
var express = require('express');
var Lobby = require('./lobby');
var app = express();
var server = http.createServer(app);
app.io = require('socket.io')(server);
app.lobby = new Lobby();
require('./sockets')(app);
server.listen(3000);
`;
  const sockets = `module.exports = function (app) {
  var lobby = app.lobby;
  app.io.on('connection', function (socket) {
    var thisGame;
    socket.on('newGame', function (data) {
      thisGame = lobby.newGame(data.code);
      thisGame.addPlayer(data.name, socket);
    });
  });
};
`;
  const files = { 'game.js': game, 'player.js': player, 'lobby.js': lobby, 'app.js': app, 'sockets.js': sockets };
  const rules: RuleId[] = ['no-in-memory-pubsub'];

  it('reports the players list of the game, typed and untyped', () => {
    const expected = [
      '5:8 no-in-memory-pubsub: Each `Game` keeps its connected clients in `players`, in this process only: socket connection (sockets.js:3) and 1 other handler adds to it and socket connection (sockets.js:3) and 1 other handler sends to its entries, so clients of the same Game connected to another instance never get the message.',
    ];
    expect(untypedFindings(files, 'game.js', rules)).toEqual(expected);
    expect(typedFindings(files, 'game.js', rules)).toEqual(expected);
  });

  it('is quiet when the players\' sockets are only disconnected at shutdown, never sent to', () => {
    const closing = { ...files, 'game.js': game.replace('player.send(event, data);', 'player.socket.disconnect(true);') };
    expect(untypedFindings(closing, 'game.js', rules)).toEqual([]);
    expect(typedFindings(closing, 'game.js', rules)).toEqual([]);
  });

  it('is quiet when a game is made for one event and dropped', () => {
    const dropped = { ...files, 'lobby.js': lobby.replace('  this.games.push(game);\n', '') };
    expect(untypedFindings(dropped, 'game.js', rules)).toEqual([]);
    expect(typedFindings(dropped, 'game.js', rules)).toEqual([]);
  });
});

// A registry written as constructor functions, the way pre-class CommonJS services were: the storage
// the server makes once holds the local store it made itself (`this.local = new LocalStore(dir)`), and
// is made by a call guarded against a missing `new`. Start-up hands it to a module factory of routes.
const storeFiles = (makeLocal: string, makeStorage: string) => ({
  'package.json': '{ "name": "registry", "main": "app.js" }',
  'storage.js': `var fs = require('fs');
var path = require('path');

function LocalStore(dir) {
  this.dir = dir;
}

LocalStore.prototype.addPackage = function (name, body, cb) {
  fs.writeFile(path.join(this.dir, name + '.json'), body, cb);
};

function RemoteStore(bucket) {
  this.bucket = bucket;
}

RemoteStore.prototype.addPackage = function (name, body, cb) {
  fetch('https://objects.example.com/' + this.bucket + '/' + name, { method: 'PUT', body: body }).then(function () { cb(); }, cb);
};

function Storage(config) {
  if (!(this instanceof Storage)) return new Storage(config);
  this.local = ${makeLocal};
}

Storage.prototype.addPackage = function (name, body, cb) {
  this.local.addPackage(name, body, cb);
};

module.exports = Storage;
`,
  'api.js': `var express = require('express');

module.exports = function (config, storage) {
  var router = express.Router();
  router.put('/:name', express.text(), function (req, res, next) {
    storage.addPackage(req.params.name, req.body, function (err) {
      if (err) return next(err);
      res.sendStatus(201);
    });
  });
  return router;
};
`,
  'app.js': `var express = require('express');
var Storage = require('./storage');

var config = { storage: 'storage', bucket: 'packages' };
var storage = ${makeStorage};
var app = express();
app.use(require('./api')(config, storage));
app.listen(4873);
`,
});

describe('a field a constructor function makes itself, on an instance made with or without `new`', () => {
  const expected = [
    "9:3 no-local-disk-write: `fs.writeFile` writes to this instance's local disk on PUT /:name (api.js:5). Other instances will not find the file, and it is lost when this instance is replaced.",
  ];

  it('`this.local = new LocalStore(dir)`, the storage made by `Storage(config)` and handed to the routes, typed and untyped', () => {
    const files = storeFiles('new LocalStore(config.storage)', 'Storage(config)');
    expect(untypedFindings(files, 'storage.js', ['no-local-disk-write'])).toEqual(expected);
    expect(typedFindings(files, 'storage.js', ['no-local-disk-write'])).toEqual(expected);
  });

  it('the same with `new Storage(config)`', () => {
    const files = storeFiles('new LocalStore(config.storage)', 'new Storage(config)');
    expect(untypedFindings(files, 'storage.js', ['no-local-disk-write'])).toEqual(expected);
    expect(typedFindings(files, 'storage.js', ['no-local-disk-write'])).toEqual(expected);
  });

  it('quiet: the field holds the store of an object storage', () => {
    const files = storeFiles('new RemoteStore(config.bucket)', 'Storage(config)');
    expect(untypedFindings(files, 'storage.js', ['no-local-disk-write'])).toEqual([]);
    expect(typedFindings(files, 'storage.js', ['no-local-disk-write'])).toEqual([]);
  });
});

// ES5 inheritance: a subclass written as a constructor function takes its base's prototype methods
// through `util.inherits` (or the `inherits` package), `Object.create(Base.prototype)` or
// `Object.setPrototypeOf`; the base may live in another module.
const inheritedFiles = (inherit: string) => ({
  'package.json': '{ "name": "notes", "main": "app.js" }',
  'store.js': `var fs = require('fs');
var path = require('path');

function Store(dir) {
  this.dir = dir;
}

Store.prototype.save = function (name, text, cb) {
  fs.writeFile(path.join(this.dir, name), text, cb);
};

module.exports = Store;
`,
  'json-store.js': `var util = require('util');
var Store = require('./store');

function JsonStore(dir) {
  Store.call(this, dir);
}
${inherit}

JsonStore.prototype.saveJson = function (name, value, cb) {
  this.save(name + '.json', JSON.stringify(value), cb);
};

module.exports = JsonStore;
`,
  'app.js': `var express = require('express');
var JsonStore = require('./json-store');

var notes = new JsonStore('data/notes');
var app = express();
app.put('/notes/:id', express.json(), function (req, res, next) {
  notes.saveJson(req.params.id, req.body, function (err) {
    if (err) return next(err);
    res.sendStatus(204);
  });
});
app.post('/notes/:id/raw', express.text(), function (req, res, next) {
  notes.save(req.params.id + '.txt', req.body, function (err) {
    if (err) return next(err);
    res.sendStatus(204);
  });
});
app.listen(3000);
`,
});

describe("a constructor function that inherits its base's prototype (ES5)", () => {
  const expected = [
    "9:3 no-local-disk-write: `fs.writeFile` writes to this instance's local disk on PUT /notes/:id (app.js:6) and 1 other route. Other instances will not find the file, and it is lost when this instance is replaced.",
  ];

  for (const [idiom, inherit] of [
    ['util.inherits', 'util.inherits(JsonStore, Store);'],
    ['Object.create', 'JsonStore.prototype = Object.create(Store.prototype);\nJsonStore.prototype.constructor = JsonStore;'],
    ['Object.setPrototypeOf', 'Object.setPrototypeOf(JsonStore.prototype, Store.prototype);'],
  ]) {
    it(`${idiom}: the base's save, called on the instance and through \`this\` in the subclass's method, typed and untyped`, () => {
      const files = inheritedFiles(inherit);
      expect(untypedFindings(files, 'store.js', ['no-local-disk-write'])).toEqual(expected);
      expect(typedFindings(files, 'store.js', ['no-local-disk-write'])).toEqual(expected);
    });
  }

  it('quiet: the subclass overrides the base\'s save with one that writes to an object storage', () => {
    const files = inheritedFiles(`util.inherits(JsonStore, Store);

JsonStore.prototype.save = function (name, text, cb) {
  fetch('https://objects.example.com/notes/' + name, { method: 'PUT', body: text }).then(function () { cb(null); }, cb);
};`);
    expect(untypedFindings(files, 'store.js', ['no-local-disk-write'])).toEqual([]);
    expect(typedFindings(files, 'store.js', ['no-local-disk-write'])).toEqual([]);
  });
});
