import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Sessions kept in shapes the use-based reading took for something else: the server transports of MCP
// sessions (made by a library's constructor, looked up before they are filled), one-time keys a helper
// draws and keeps in a list, and logins kept under the identity a socket.io client presents in its
// handshake (in a set named for clients). Each is found again by what the client sends back, on whichever instance it reaches.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-session', 'no-process-local-cache', 'no-in-memory-pubsub', 'no-in-memory-counter', 'no-in-process-lock'];
const both = (files: Record<string, string>, file: string): { untyped: string[]; typed: string[] } => ({ untyped: untypedFindings(files, file, RULES), typed: typedFindings(files, file, RULES) });

describe('MCP server transports kept per session', () => {
  it('reports the streamable transports a route keeps under the session id it hands out, looked up first (read as a cache before)', () => {
    const files = {
      'src/mcp.ts': `import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

type McpSession = { transport: WebStandardStreamableHTTPServerTransport; userId: string };
const sessions = new Map<string, McpSession>();
const mcp = new Hono();

mcp.post('/mcp', async (c) => {
  const userId = c.req.header('x-user-id');
  if (!userId) return c.text('unauthorized', 401);
  const sessionId = c.req.header('mcp-session-id');
  if (sessionId) {
    const existing = sessions.get(sessionId);
    if (!existing) return c.text('unknown session', 404);
    return existing.transport.handleRequest(c.req.raw);
  }
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
  transport.onclose = () => {
    if (transport.sessionId) sessions.delete(transport.sessionId);
  };
  await new McpServer({ name: 'tools', version: '1.0.0' }).connect(transport);
  const response = await transport.handleRequest(c.req.raw);
  if (transport.sessionId) sessions.set(transport.sessionId, { transport, userId });
  return response;
});

export default mcp;
`,
    };
    const expected = ['7:7 no-in-memory-session: `sessions` holds per-user state in this process; it is written by POST /mcp (src/mcp.ts:10). A second instance will not see it.'];
    expect(both(files, 'src/mcp.ts')).toEqual({ untyped: expected, typed: expected });
  });

  it('reports SSE transports kept by their session id in a callback of the route; a map of SDK clients per tenant stays quiet', () => {
    const files = {
      'src/server.js': `const express = require('express');
const { SSEServerTransport } = require('@modelcontextprotocol/sdk/server/sse.js');
const { S3Client } = require('@aws-sdk/client-s3');
const { createServer } = require('./tools');

const app = express();
const transports = {};
const storageClients = {};

app.get('/sse', async (req, res) => {
  const transport = new SSEServerTransport('/messages', res);
  transports[transport.sessionId] = transport;
  res.on('close', () => {
    delete transports[transport.sessionId];
  });
  await createServer().connect(transport);
});

app.post('/messages', async (req, res) => {
  const transport = transports[req.query.sessionId];
  if (!transport) return res.status(400).send('No transport found for sessionId');
  await transport.handlePostMessage(req, res, req.body);
});

app.get('/files/:region', async (req, res) => {
  const region = req.params.region;
  if (!storageClients[region]) storageClients[region] = new S3Client({ region });
  res.json({ region: await storageClients[region].config.region() });
});

app.listen(3000);
`,
      'src/tools.js': `const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
exports.createServer = () => new McpServer({ name: 'tools', version: '1.0.0' });
`,
    };
    const expected = ['7:7 no-in-memory-session: `transports` holds per-user state in this process; it is written by GET /sse (src/server.js:10). A second instance will not see it.'];
    expect(both(files, 'src/server.js')).toEqual({ untyped: expected, typed: expected });
  });
});

describe('one-time keys a helper draws and keeps in a list', () => {
  const files = {
    'src/keys.js': `const bypassKeys = [];
const lagSamples = [];

module.exports.verifyBypass = (key) => bypassKeys.indexOf(key) >= 0;

module.exports.consumeBypass = (key) => {
  const index = bypassKeys.indexOf(key);
  if (index >= 0) bypassKeys.splice(index, 1);
};

module.exports.createNewBypass = () => {
  let key;
  do {
    key = \`\${Math.random().toString(36).substring(2)}\${Math.random().toString(36).substring(2)}\`;
  } while (bypassKeys.indexOf(key) >= 0);
  bypassKeys.push(key);
  return key;
};

module.exports.sampleLag = () => {
  lagSamples.push(Math.random());
  if (lagSamples.length > 100) lagSamples.shift();
};
`,
    'src/app.js': `const http = require('http');
const { Server } = require('socket.io');
const { createNewBypass, sampleLag, verifyBypass, consumeBypass } = require('./keys');

const server = http.createServer();
const io = new Server(server);
io.on('connection', (socket) => {
  socket.on('moderation', (data) => {
    if (data.action === 'createBypass') {
      const key = createNewBypass();
      socket.emit('sendAlert', \`Bypass key: \${key}\`);
    }
    sampleLag();
  });
  socket.on('signup', (data) => {
    if (!verifyBypass(data.key)) return socket.emit('denied');
    consumeBypass(data.key);
  });
});
server.listen(3000);
`,
  };

  it('reports the keys a moderator event mints and sign-up checks; the samples of a random number stay quiet', () => {
    const expected = ['1:7 no-in-memory-session: `bypassKeys` holds per-user state in this process; it is written by socket connection (src/app.js:7) and 2 other handlers. A second instance will not see it.'];
    expect(both(files, 'src/keys.js')).toEqual({ untyped: expected, typed: expected });
  });
});

describe('logins kept under the identity of a socket.io handshake', () => {
  it('reports a set named for clients that holds the client id each connection presents; one of connection ids stays quiet', () => {
    const files = {
      'src/manager.ts': `import type { Socket } from 'socket.io';

const clientIdOf = (socket: Socket) => socket.handshake.auth.clientId as string;

class Manager {
  private loggedClients = new Set<string>();
  private connectedClients = new Set<string>();

  isLogged(socket: Socket) {
    return this.loggedClients.has(clientIdOf(socket));
  }
  login(socket: Socket) {
    this.loggedClients.add(clientIdOf(socket));
  }
  logout(socket: Socket) {
    this.loggedClients.delete(clientIdOf(socket));
  }
  connect(socket: Socket) {
    this.connectedClients.add(socket.id);
  }
  disconnect(socket: Socket) {
    this.connectedClients.delete(socket.id);
  }
}

export default new Manager();
`,
      'src/index.ts': `import { Server } from 'socket.io';
import manager from './manager';

const io = new Server(3000);
io.on('connection', (socket) => {
  manager.connect(socket);
  socket.on('manager:auth', (password: string) => {
    if (password !== process.env.MANAGER_PASSWORD) return;
    manager.login(socket);
  });
  socket.on('manager:logout', () => manager.logout(socket));
  socket.on('manager:start', () => {
    if (!manager.isLogged(socket)) return socket.emit('unauthorized');
    socket.emit('started');
  });
  socket.on('disconnect', () => manager.disconnect(socket));
});
`,
    };
    const expected = ['6:11 no-in-memory-session: `loggedClients` holds per-user state in this process; it is written by socket connection (src/index.ts:5) and 2 other handlers. A second instance will not see it.'];
    expect(both(files, 'src/manager.ts')).toEqual({ untyped: expected, typed: expected });
  });
});
