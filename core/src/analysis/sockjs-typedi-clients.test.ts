import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A cron panel (round 36): a SockJS server (`sockjs.createServer(…)`, installed on the HTTP server) hands
// each connection to a typedi `@Service()` that keeps them in a list, and the routes' services write run
// progress to every connection in it. typedi keeps one instance per class, so the list is this process's;
// a SockJS connection event is a client connecting, as ws's is. A transient service is made per lookup,
// a `@Service` of another library says nothing, and a connection only answered to keeps no list.

afterAll(removeAnalysedProjects);

const sockService = (decorator: string, module: string) => `import { ${decorator.replace(/^@|\(.*$/g, '')} } from '${module}';
import { Connection } from 'sockjs';

${decorator}
export default class SockService {
  private clients: Connection[] = [];

  addClient(conn: Connection) {
    if (this.clients.indexOf(conn) === -1) this.clients.push(conn);
  }

  sendMessage(msg: object) {
    this.clients.forEach((client) => client.write(JSON.stringify(msg)));
  }
}
`;

const app = (onConnection: string) => `import express from 'express';
import http from 'http';
import sockJs from 'sockjs';
import { Container } from 'typedi';
import SockService from './services/sock';

const app = express();
const server = http.createServer(app);
const echo = sockJs.createServer({ prefix: '/api/ws' });
echo.on('connection', (conn) => {
  ${onConnection}
});
echo.installHandlers(server);

app.post('/runs', (req, res) => {
  Container.get(SockService).sendMessage({ type: 'run', id: req.body.id });
  res.end();
});
server.listen(3000);
`;

const files = (decorator: string, module: string, onConnection = 'Container.get(SockService).addClient(conn);') => ({
  'back/services/sock.ts': sockService(decorator, module),
  'back/app.ts': app(onConnection),
});

const pubsub =
  '6:11 no-in-memory-pubsub: `clients` lists the clients connected to this instance; socket connection (back/app.ts:10) adds to it and POST /runs (back/app.ts:15) sends to its entries. Clients connected to other instances never get the message.';

describe("SockJS connections kept by a typedi service's list", () => {
  it('are a list of this instance’s clients that a route sends to (typed and untyped)', () => {
    const project = files('@Service()', 'typedi');
    expect(untypedFindings(project, 'back/services/sock.ts', ['no-in-memory-pubsub'])).toEqual([pubsub]);
    expect(typedFindings(project, 'back/services/sock.ts', ['no-in-memory-pubsub'])).toEqual([pubsub]);
  });

  it('quiet: a transient service, a @Service of another library, a connection only answered to', () => {
    for (const project of [files('@Service({ transient: true })', 'typedi'), files('@Service()', './registry'), files('@Service()', 'typedi', "conn.on('data', (message) => conn.write(message));")]) {
      expect(untypedFindings(project, 'back/services/sock.ts', ['no-in-memory-pubsub'])).toEqual([]);
      expect(typedFindings(project, 'back/services/sock.ts', ['no-in-memory-pubsub'])).toEqual([]);
    }
  });
});
