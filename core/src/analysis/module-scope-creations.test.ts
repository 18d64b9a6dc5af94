import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A signalling server (round 36b): the entry module makes the WebSocket server's class with a bare
// `new PairingServer(server)` statement, inside an `if` on a deployment setting, and keeps no reference:
// the object lives on through the listeners its constructor registers, once per process, so what its
// fields keep (pair keys mapped to room secrets) is this process's state. A class made per request, or
// only by a script, is no such object.

afterAll(removeAnalysedProjects);

const WS_SERVER = `import { WebSocketServer } from 'ws';
import crypto from 'crypto';

export default class PairingServer {
  constructor(server) {
    this._pairKeys = {};
    this._wss = new WebSocketServer({ server });
    this._wss.on('connection', (socket) => {
      socket.on('message', (message) => this._onMessage(socket, JSON.parse(message)));
    });
  }

  _onMessage(socket, message) {
    if (message.type === 'pair-init') {
      const key = crypto.randomInt(100000, 999999).toString();
      this._pairKeys[key] = message.secret;
      socket.send(JSON.stringify({ key }));
    } else if (message.type === 'pair-join') {
      socket.send(JSON.stringify({ secret: this._pairKeys[message.key] }));
    }
  }
}
`;

const files = (entry: string, script = '') => ({
  'package.json': '{ "type": "module" }',
  'server/ws-server.js': WS_SERVER,
  'server/index.js': `import express from 'express';
import http from 'http';
import PairingServer from './ws-server.js';

const app = express();
const server = http.createServer(app);
${entry}
server.listen(3000);
`,
  ...(script ? { 'scripts/try-pairing.js': script } : {}),
});

const session =
  '6:10 no-in-memory-session: `_pairKeys` holds application data in this process; it is written by socket connection (server/ws-server.js:8) and 1 other handler. A second instance will not see it.';

describe('a class made by a bare `new` statement of the module scope', () => {
  it('inside an `if` on a deployment setting, is one object per process (untyped and typed)', () => {
    const project = files('if (!process.env.SIGNALING_SERVER) {\n  new PairingServer(server);\n}');
    expect(untypedFindings(project, 'server/ws-server.js', ['no-in-memory-session'])).toEqual([session]);
    expect(typedFindings(project, 'server/ws-server.js', ['no-in-memory-session'])).toEqual([session]);
  });

  it('quiet: made per request, or only by a script', () => {
    const perRequest = files("app.post('/pairing', (req, res) => {\n  new PairingServer(server);\n  res.end();\n});");
    expect(untypedFindings(perRequest, 'server/ws-server.js', ['no-in-memory-session'])).toEqual([]);
    expect(typedFindings(perRequest, 'server/ws-server.js', ['no-in-memory-session'])).toEqual([]);
    const script = files('', "import http from 'http';\nimport PairingServer from '../server/ws-server.js';\n\nif (process.argv[2]) {\n  new PairingServer(http.createServer());\n}\n");
    expect(untypedFindings(script, 'server/ws-server.js', ['no-in-memory-session'])).toEqual([]);
    expect(typedFindings(script, 'server/ws-server.js', ['no-in-memory-session'])).toEqual([]);
  });
});
