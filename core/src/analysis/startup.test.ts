import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { createProgram } from '../testing/program';
import { ProjectIndex } from '../project-index/project-index';
import { removeProject, writeProject } from '../testing/disk-project';

// Untyped, with the project index: what the web process runs at start-up across files (modules it
// requires, methods of the classes it imports, the callbacks of `listen`), as the CLI and ESLint see it.

const roots: string[] = [];
afterAll(() => roots.forEach(removeProject));

/** `rule line: message` of the findings of one rule in `file`. */
function findings(files: Record<string, string>, file: string, rule: string): string[] {
  const root = writeProject({ 'package.json': '{ "name": "app" }', ...files });
  roots.push(root);
  const index = new ProjectIndex(root);
  const sourceFile = index.sourceFile(`${root}/${file}`)!;
  return analyzeSourceFile(sourceFile, { projectIndex: index, projectRoot: root })
    .filter((finding) => finding.ruleId === rule)
    .map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`);
}

const server = (requireLine: string): string => `const express = require('express');
const app = express();
${requireLine}
app.get('/', (req, res) => res.send('ok'));
app.listen(3000);
`;

const sweep = `const knex = require('./knex');
setInterval(function () {
  const query = knex('links').where('expire_in', '<', new Date());
  query.delete().catch(() => {});
}, 30_000);
`;

describe('no-in-process-scheduler: modules the server requires', () => {
  it('a timer at the module scope of a file the server requires runs in every instance; pm2\'s NODE_APP_INSTANCE does not pick one of several hosts', () => {
    const expected = [
      "2: `setInterval` runs in every instance of the web process: the job writes to the database (`query.delete`) every 30 seconds. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.",
    ];
    expect(findings({ 'server.js': server("require('./cron');"), 'cron.js': sweep, 'knex.js': "module.exports = require('knex')({});\n" }, 'cron.js', 'no-in-process-scheduler')).toEqual(expected);
    expect(findings({ 'server.js': server("if (process.env.NODE_APP_INSTANCE === '0') require('./cron');"), 'cron.js': sweep, 'knex.js': "module.exports = require('knex')({});\n" }, 'cron.js', 'no-in-process-scheduler')).toEqual(expected);
  });

  it('quiet: a require behind a deployment flag, a script nothing of the server requires, a sweep of a local Map', () => {
    const knex = "module.exports = require('knex')({});\n";
    expect(findings({ 'server.js': server("if (process.env.RUN_CRON) require('./cron');"), 'cron.js': sweep, 'knex.js': knex }, 'cron.js', 'no-in-process-scheduler')).toEqual([]);
    expect(findings({ 'server.js': server(''), 'scripts/cron.js': sweep.replace('./knex', '../knex'), 'knex.js': knex }, 'scripts/cron.js', 'no-in-process-scheduler')).toEqual([]);
    const local = "const seen = new Map();\nsetInterval(() => {\n  for (const [key, at] of seen) if (at < Date.now()) seen.delete(key);\n}, 60_000);\nmodule.exports = seen;\n";
    expect(findings({ 'server.js': server("require('./seen');"), 'seen.js': local }, 'seen.js', 'no-in-process-scheduler')).toEqual([]);
  });

  it('a job behind a Redis set-if-absent in a lock helper of another module runs once; the same helper without NX takes no lock', () => {
    const knex = "module.exports = require('knex')({});\n";
    const lock = (options: string) => `const { createClient } = require('redis');\nconst client = createClient();\nexports.acquire = async (name) => (await client.set('lock:' + name, String(process.pid), ${options})) === 'OK';\n`;
    const job = `const knex = require('./knex');
const { acquire } = require('./lock');
setInterval(async function () {
  if (!(await acquire('links'))) return;
  await knex('links').where('expire_in', '<', new Date()).delete();
}, 30_000);
`;
    expect(findings({ 'server.js': server("require('./cron');"), 'cron.js': job, 'lock.js': lock('{ NX: true, EX: 25 }'), 'knex.js': knex }, 'cron.js', 'no-in-process-scheduler')).toEqual([]);
    expect(findings({ 'server.js': server("require('./cron');"), 'cron.js': job, 'lock.js': lock('{ EX: 25 }'), 'knex.js': knex }, 'cron.js', 'no-in-process-scheduler')).toHaveLength(1);
  });

  it("a job class exported as `exports.Job` and started by the module scope of a required file (start-up follows the method by the class the receiver is named after)", () => {
    const files = {
      'app.js': server("const realtime = require('./realtime');"),
      'realtime.js': "const { SaveJob } = require('./save-job');\nconst job = new SaveJob();\njob.start();\nmodule.exports = { job };\n",
      'save-job.js': `const models = require('./models');
class SaveJob {
  start() {
    this.timer = setInterval(this.save.bind(this), 5 * 60 * 1000);
  }
  save() {
    models.Revision.saveAllNotesRevision(() => {});
  }
}
exports.SaveJob = SaveJob;
`,
      'models.js': 'module.exports = {};\n',
    };
    expect(findings(files, 'save-job.js', 'no-in-process-scheduler')).toEqual([
      '4: `setInterval` runs in every instance of the web process: the job writes to the database (`models.Revision.saveAllNotesRevision`) every 5 minutes. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ]);
  });

  it('a self-rescheduling loop per record, started in the listen callback on records an ORM hands back', () => {
    const files = {
      'server.js': `const express = require('express');
const { R } = require('redbean-node');
const Monitor = require('./monitor');
const Server = require('./server-class');
const app = express();
app.get('/', (req, res) => res.send('ok'));
app.listen(3000, async () => {
  for (const monitor of await R.find('monitor')) await monitor.start();
});
`,
      'server-class.js': 'class Server {\n  start() {\n    return 1;\n  }\n}\nmodule.exports = Server;\n',
      'monitor.js': `const { R } = require('redbean-node');
class Monitor {
  async start() {
    const beat = async () => {
      await R.store({ status: 1 });
      setTimeout(safeBeat, 60_000);
    };
    const safeBeat = async () => {
      try {
        await beat();
      } catch {
        setTimeout(safeBeat, 60_000);
      }
    };
    setTimeout(() => safeBeat(), 1000);
  }
}
module.exports = Monitor;
`,
    };
    const message = (line: number, subject: string, when: string): string =>
      `${line}: \`setTimeout\` runs in every instance of the web process: ${subject} writes to the database (\`R.store\`) ${when}. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.`;
    expect(findings(files, 'monitor.js', 'no-in-process-scheduler')).toEqual([
      message(6, 'the job', 'every minute'),
      message(12, '`beat()`', 'every minute'),
      message(15, '`beat()`', 'every second'),
    ]);
  });
});

describe('no-in-process-scheduler: a handler made by a factory the module scope calls', () => {
  const agent = (factoryBody: string): string => `const db = require('./db');

function startHeartbeat(id) {
  return setInterval(() => {
    db.conversations.updateOne({ id }, { $set: { streamedAt: new Date() } });
  }, 5000);
}

function createChatHandler(config) {
${factoryBody}
}

exports.postChat = createChatHandler({ greeting: 'hi' });
`;
  const handed = '  return async (req, res) => {\n    const beat = startHeartbeat(req.body.id);\n    res.write(config.greeting);\n    clearInterval(beat);\n    res.end();\n  };';
  const files = (factoryBody: string): Record<string, string> => ({
    'server.js': "const express = require('express');\nconst { postChat } = require('./agent');\nconst app = express();\napp.post('/chat', postChat);\napp.listen(3000);\n",
    'agent.js': agent(factoryBody),
    'db.js': 'exports.conversations = { updateOne: async () => {} };\n',
  });
  const typed = (factoryBody: string): string[] => {
    const program = createProgram(Object.fromEntries(Object.entries(files(factoryBody)).map(([name, text]) => [`/app/${name}`, text])));
    const sourceFile = program.getSourceFile('/app/agent.js')!;
    return analyzeSourceFile(sourceFile, { program, projectRoot: '/app', rules: ['no-in-process-scheduler'] }).map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.ruleId}`);
  };

  it('quiet: the heartbeat the returned handler starts runs per request, not at start-up (typed and untyped)', () => {
    expect(findings(files(handed), 'agent.js', 'no-in-process-scheduler')).toEqual([]);
    expect(typed(handed)).toEqual([]);
  });

  it('the look-alike: a timer the factory itself starts runs as the module scope calls it', () => {
    const starts = `  startHeartbeat('factory');\n${handed}`;
    expect(findings(files(starts), 'agent.js', 'no-in-process-scheduler')).toEqual([
      '4: `setInterval` runs in every instance of the web process: the job writes to the database (`db.conversations.updateOne`) every 5 seconds. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
    ]);
    expect(typed(starts)).toEqual(['4: no-in-process-scheduler']);
  });
});

describe('no-in-memory-pubsub: CommonJS modules that call their own exports', () => {
  it('`exports.emitOnlineUsers(socket)` reaches the broadcast, so the socket.io server without an adapter is reported; users keyed by socket id are not sessions', () => {
    const files = {
      'package.json': '{ "name": "app", "dependencies": { "socket.io": "4" } }',
      'app.js': `const server = require('http').createServer();
const io = require('socket.io')(server);
const realtime = require('./realtime');
realtime.io = io;
io.sockets.on('connection', realtime.connection);
server.listen(3000);
`,
      'realtime.js': `const realtime = { io: null, connection };
const users = {};
function emitOnlineUsers(socket) {
  realtime.io.to(socket.noteId).emit('online users', Object.keys(users).length);
}
function connection(socket) {
  users[socket.id] = { name: socket.handshake.query.name };
  socket.on('disconnect', () => {
    delete users[socket.id];
  });
  exports.emitOnlineUsers(socket);
}
exports = module.exports = realtime;
exports.emitOnlineUsers = emitOnlineUsers;
`,
    };
    expect(findings(files, 'app.js', 'no-in-memory-pubsub')).toEqual([
      "2: require('socket.io')() has no adapter, so `realtime.io.to(…).emit()` on socket connection (app.js:5) reaches only the clients connected to this instance. socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.",
    ]);
    expect(findings(files, 'realtime.js', 'no-in-memory-session')).toEqual([]);
  });

  it("express.oi's `express().http().io()` is a socket.io server without an adapter; quiet when a route broadcasts nothing", () => {
    const app = (route: string): Record<string, string> => ({
      'app.js': `const express = require('express.oi');
let app;
if (process.env.HTTPS) {
  app = express().https({ key: 'k' }).io();
} else {
  app = express().http().io();
}
${route}
app.listen(3000);
`,
    });
    const message = "has no adapter, so `app.io.to(…).emit()` on POST /rooms/:id/messages (app.js:8) reaches only the clients connected to this instance. socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.";
    expect(findings(app("app.post('/rooms/:id/messages', (req, res) => {\n  app.io.to(req.params.id).emit('messages:new', req.body);\n  res.end();\n});"), 'app.js', 'no-in-memory-pubsub')).toEqual([
      `4: express().https(…).io() ${message}`,
      `6: express().http().io() ${message}`,
    ]);
    expect(findings(app("app.get('/rooms', (req, res) => res.json([]));"), 'app.js', 'no-in-memory-pubsub')).toEqual([]);
  });
});

describe('no-in-process-scheduler: a job that only tells this instance\'s own clients', () => {
  it("a cron that serialises records (`toJSON()`) and sends them to this instance's sockets is quiet; one that stores a record is not (uptime-kuma maintenance)", () => {
    const maintenance = (work: string): string => `const { Cron } = require('croner');
const { R } = require('redbean-node');
const { Server } = require('./server');
class Maintenance {
  run() {
    this.job = new Cron(this.start_date, {}, async () => {
      ${work}
    });
  }
}
module.exports = Maintenance;
`;
    const server = `const express = require('express');
const { R } = require('redbean-node');
const Maintenance = require('./maintenance');
class Server {
  /** @type {Server} */
  static instance = null;
  /** @type {{}} */
  maintenanceList = {};
  io = undefined;
  /** @returns {Server} */
  static getInstance() {
    if (Server.instance == null) Server.instance = new Server();
    return Server.instance;
  }
  async sendList(userID) {
    const list = {};
    for (const id in this.maintenanceList) list[id] = await this.maintenanceList[id].toJSON();
    this.io.to(userID).emit('maintenanceList', list);
  }
}
const app = express();
app.get('/', (req, res) => res.send('ok'));
app.listen(3000, async () => {
  for (const maintenance of await R.find('maintenance')) maintenance.run();
});
module.exports = { Server };
`;
    const run = (work: string): string[] => {
      const program = createProgram({ '/app/server.js': server, '/app/maintenance.js': maintenance(work) });
      const file = program.getSourceFile('/app/maintenance.js')!;
      return analyzeSourceFile(file, { program, projectRoot: '/app', rules: ['no-in-process-scheduler'] }).map((finding) => `${file.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.data.work}`);
    };
    expect(run('await Server.getInstance().sendList(this.user_id);')).toEqual([]);
    // A response cache cleared (its code has a Redis branch, `redis.del`): dropping copies N times is dropping them once.
    const withCache = (work: string): string[] => {
      const apicache = `module.exports = { redis: null, clear() { if (this.redis) this.redis.del('apicache:*'); } };\n`;
      const program = createProgram({ '/app/server.js': server, '/app/maintenance.js': maintenance(work).replace("const { R } = require('redbean-node');", "const { R } = require('redbean-node');\nconst apicache = require('./apicache');"), '/app/apicache.js': apicache });
      const file = program.getSourceFile('/app/maintenance.js')!;
      return analyzeSourceFile(file, { program, projectRoot: '/app', rules: ['no-in-process-scheduler'] }).map((finding) => finding.data.work);
    };
    expect(withCache('await Server.getInstance().sendList(this.user_id);\n      apicache.clear();')).toEqual([]);
    expect(run('await R.store(this);')).toEqual(['6: the job writes to the database (`R.store`)']);
  });
});

describe('no-in-process-scheduler: typed, a JavaScript project whose records the checker cannot type', () => {
  it('follows monitor.start() on an ORM record (type any) into the imported class; a typed receiver is left to the checker', () => {
    const monitor = `const { R } = require('redbean-node');
class Monitor {
  start() {
    const beat = async () => {
      await R.store({ status: 1 });
      setTimeout(beat, 60000);
    };
    void beat();
  }
}
module.exports = Monitor;
`;
    const server = (loop: string): string => `const express = require('express');
const { R } = require('redbean-node');
const Monitor = require('./monitor');
const app = express();
app.get('/', (req, res) => res.send('ok'));
app.listen(3000, async () => {
  ${loop}
});
`;
    const run = (loop: string): string[] => {
      const program = createProgram({ '/app/server.js': server(loop), '/app/monitor.js': monitor });
      const file = program.getSourceFile('/app/monitor.js')!;
      return analyzeSourceFile(file, { program, projectRoot: '/app', rules: ['no-in-process-scheduler'] }).map((finding) => `${file.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.data.work}`);
    };
    expect(run("for (const monitor of await R.find('monitor')) monitor.start();")).toEqual(['6: the job writes to the database (`R.store`)']);
    // `/** @type {{ start(): void }} */`: a typed value the checker resolves (to no body); nothing is guessed by name.
    expect(run("/** @type {{ start(): void }} */\n  const monitor = JSON.parse('{}');\n  monitor.start();")).toEqual([]);
  });
});
