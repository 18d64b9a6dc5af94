import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// A ws server's broadcast over this instance's connections, written as a module function that
// services call on every change: the clients of the other instances never hear it.

const HUB_TS = `import type { Server } from 'http';
import { WebSocket, WebSocketServer } from 'ws';

let wss: WebSocketServer | undefined;

export function attachLiveUpdates(server: Server): void {
  wss = new WebSocketServer({ server, path: '/live' });
}

export function broadcast(type: string, payload: unknown): void {
  if (!wss) return;
  const message = JSON.stringify({ type, payload });
  wss.clients.forEach((client) => {
    if (client.readyState === WebSocket.OPEN) client.send(message);
  });
}
`;

const ROUTES_TS = `import express from 'express';
import { broadcast } from './hub';

export const app = express();
app.patch('/tickets/:id', (req, res) => {
  broadcast('ticket-updated', { id: req.params.id, status: req.body.status });
  res.status(204).end();
});
`;

const HUB_JS = `const { WebSocketServer } = require('ws');

let wss;

function attach(server) {
  wss = new WebSocketServer({ server });
}

function broadcast(event) {
  for (const client of wss.clients) {
    client.send(JSON.stringify(event));
  }
}

module.exports = { attach, broadcast };
`;

const ROUTES_JS = `const express = require('express');
const { broadcast } = require('./hub');

const app = express();
app.post('/messages', (req, res) => {
  broadcast({ type: 'message', text: req.body.text });
  res.status(201).end();
});
module.exports = app;
`;

describe('planFixes: a ws broadcast function publishes through Redis, and its body becomes the listener', () => {
  it('TypeScript: the arguments travel as one payload, typed; the callers await the publish', () => {
    const files = { [`${ROOT}/src/hub.ts`]: HUB_TS, [`${ROOT}/src/routes.ts`]: ROUTES_TS };
    const plan = movePlan(files, 'no-in-memory-pubsub', `${ROOT}/src/hub.ts`);
    expect(plan.message).toBe("Publish `broadcast`'s broadcasts through Redis, each instance sending to its own clients (src/scaling/pubsub.ts)");
    const fixed = applyPlan(files, plan);
    expect(fixed[`${ROOT}/src/hub.ts`]).toBe(`import type { Server } from 'http';
import { WebSocket, WebSocketServer } from 'ws';
import { createPubSub } from './scaling/pubsub';

let wss: WebSocketServer | undefined;

export function attachLiveUpdates(server: Server): void {
  wss = new WebSocketServer({ server, path: '/live' });
}

const broadcastChannel = createPubSub('broadcast');

export async function broadcast(type: string, payload: unknown): Promise<void> {
  await broadcastChannel.emit('broadcast', { type, payload });
}

// Each instance sends what any instance published to its own clients.
broadcastChannel.on('broadcast', ({ type, payload }: { type: string; payload: unknown }) => {
  if (!wss) return;
  const message = JSON.stringify({ type, payload });
  wss.clients.forEach((client) => {
    if (client.readyState === WebSocket.OPEN) client.send(message);
  });
});
`);
    expect(fixed[`${ROOT}/src/routes.ts`]).toBe(ROUTES_TS.replace("(req, res) => {\n  broadcast(", "async (req, res) => {\n  await broadcast("));
    expect(countFindings(fixed, 'no-in-memory-pubsub')).toBe(0);
  });

  it('CommonJS: a for…of over wss.clients moves the same way', () => {
    const files = { [`${ROOT}/hub.js`]: HUB_JS, [`${ROOT}/app.js`]: ROUTES_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-pubsub', `${ROOT}/hub.js`));
    expect(fixed[`${ROOT}/hub.js`]).toBe(`const { WebSocketServer } = require('ws');
const { createPubSub } = require('./src/scaling/pubsub');

let wss;

function attach(server) {
  wss = new WebSocketServer({ server });
}

const broadcastChannel = createPubSub('broadcast');

async function broadcast(event) {
  await broadcastChannel.emit('broadcast', { event });
}

// Each instance sends what any instance published to its own clients.
broadcastChannel.on('broadcast', ({ event }) => {
  for (const client of wss.clients) {
    client.send(JSON.stringify(event));
  }
});

module.exports = { attach, broadcast };
`);
  });

  it('CommonJS: callers that reach the function through the module (`hub.broadcast(…)`) await the publish too', () => {
    const throughModule = ROUTES_JS.replace("const { broadcast } = require('./hub');", "const hub = require('./hub');").replace('  broadcast({', '  hub.broadcast({');
    const files = { [`${ROOT}/hub.js`]: HUB_JS, [`${ROOT}/app.js`]: throughModule };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-pubsub', `${ROOT}/hub.js`));
    expect(fixed[`${ROOT}/app.js`]).toBe(throughModule.replace("app.post('/messages', (req, res) => {\n  hub.broadcast(", "app.post('/messages', async (req, res) => {\n  await hub.broadcast("));
  });
});

describe('planFixes: a list of Server-Sent Events streams sent to by a module function', () => {
  it('the function publishes, its loop over the list becomes the listener; the list stays each instance\'s own clients', () => {
    const sse = `import express, { type Response } from 'express';

export const app = express();
const streams = new Set<Response>();

function sendEvent(name: string, data: object): void {
  for (const stream of streams) stream.write(\`event: \${name}\\ndata: \${JSON.stringify(data)}\\n\\n\`);
}

app.get('/events', (req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/event-stream' });
  streams.add(res);
  req.on('close', () => streams.delete(res));
});
app.post('/orders/:id/status', express.json(), (req, res) => {
  sendEvent('status', { id: req.params.id, status: req.body.status });
  res.status(204).end();
});
`;
    const files = { [`${ROOT}/src/sse.ts`]: sse };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-pubsub', `${ROOT}/src/sse.ts`))[`${ROOT}/src/sse.ts`];
    expect(fixed).toBe(
      sse
        .replace("import express, { type Response } from 'express';\n", "import express, { type Response } from 'express';\nimport { createPubSub } from './scaling/pubsub';\n")
        .replace(
          'function sendEvent(name: string, data: object): void {\n  for (const stream of streams) stream.write(`event: ${name}\\ndata: ${JSON.stringify(data)}\\n\\n`);\n}',
          "const sendEventChannel = createPubSub('sendEvent');\n\nasync function sendEvent(name: string, data: object): Promise<void> {\n  await sendEventChannel.emit('sendEvent', { name, data });\n}\n\n// Each instance sends what any instance published to its own clients.\nsendEventChannel.on('sendEvent', ({ name, data }: { name: string; data: object }) => {\n  for (const stream of streams) stream.write(`event: ${name}\\ndata: ${JSON.stringify(data)}\\n\\n`);\n});",
        )
        .replace("express.json(), (req, res) => {\n  sendEvent(", "express.json(), async (req, res) => {\n  await sendEvent("),
    );
    expect(countFindings({ [`${ROOT}/src/sse.ts`]: fixed }, 'no-in-memory-pubsub')).toBe(0);
  });
});

describe('planFixes: a broadcast loop written in the handler', () => {
  it('CommonJS chat over SSE: the loop becomes the listener registered after the route, the message it sends travels', () => {
    const chat = `const express = require('express');
const app = express();
app.use(express.json());

const clients = [];

app.get('/stream', (req, res) => {
  res.set('Content-Type', 'text/event-stream');
  clients.push(res);
  req.on('close', () => clients.splice(clients.indexOf(res), 1));
});

app.post('/messages', (req, res) => {
  const message = { from: req.body.from, text: req.body.text, at: Date.now() };
  clients.forEach((client) => {
    client.write('data: ' + JSON.stringify(message) + '\\n\\n');
  });
  res.status(201).json(message);
});

module.exports = app;
`;
    const files = { [`${ROOT}/app.js`]: chat };
    const fixed = applyPlan(files, movePlan(files, 'no-in-memory-pubsub', `${ROOT}/app.js`))[`${ROOT}/app.js`];
    expect(fixed).toBe(`const express = require('express');
const { createPubSub } = require('./src/scaling/pubsub');
const app = express();
app.use(express.json());

const clients = [];

app.get('/stream', (req, res) => {
  res.set('Content-Type', 'text/event-stream');
  clients.push(res);
  req.on('close', () => clients.splice(clients.indexOf(res), 1));
});

app.post('/messages', async (req, res) => {
  const message = { from: req.body.from, text: req.body.text, at: Date.now() };
  await clientsChannel.emit('send', { message });
  res.status(201).json(message);
});

// Each instance sends what any instance published to its own clients.
const clientsChannel = createPubSub('clients');
clientsChannel.on('send', ({ message }) => {
  clients.forEach((client) => {
    client.write('data: ' + JSON.stringify(message) + '\\n\\n');
  });
});

module.exports = app;
`);
    expect(countFindings({ [`${ROOT}/app.js`]: fixed }, 'no-in-memory-pubsub')).toBe(0);
  });
});

describe('planFixes: broadcasts the channel cannot carry are refused with the reason', () => {
  const reason = (hub: string, routes = ROUTES_TS): string | undefined => planFirst({ [`${ROOT}/src/hub.ts`]: hub, [`${ROOT}/src/routes.ts`]: routes }, 'no-in-memory-pubsub', `${ROOT}/src/hub.ts`).refused?.reason;
  const prefix = "every instance must hear the broadcast: publish it to a Redis channel on the request path, and send to this instance's own clients in a subscription started at start-up (the loop moves into the subscriber); ";

  it('a count of the clients reached, returned to the caller', () => {
    const counting = HUB_TS.replace('export function broadcast(type: string, payload: unknown): void {\n  if (!wss) return;', 'export function broadcast(type: string, payload: unknown): number {\n  if (!wss) return 0;').replace('  });\n}\n', '  });\n  return wss.clients.size;\n}\n');
    expect(reason(counting)).toBe(`${prefix}\`broadcast\` returns a value (src/hub.ts:11), which a listener cannot hand back`);
  });

  it('the function handed on as a value, and an argument JSON would change', () => {
    expect(reason(HUB_TS, ROUTES_TS.replace("app.patch('/tickets/:id'", "export const notify = broadcast;\napp.patch('/tickets/:id'"))).toBe(`${prefix}\`notify = broadcast\` (src/routes.ts:5) uses \`broadcast\` other than by calling it`);
    expect(reason(HUB_TS.replace('payload: unknown', 'payload: Map<string, string>'), ROUTES_TS.replace("{ id: req.params.id, status: req.body.status }", 'new Map([["id", req.params.id]])'))).toBe(`${prefix}\`payload\` holds Map values, which would reach the other instances as JSON, changed`);
  });
});
