import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A timer's work done for each connection of this process (held-out round 35b, test/real-world: a
// Compose manager's ten-second croner job that, for each socket of socket.io's map of connected
// sockets, lists the stacks through a child process and sends the list to it; public realtime
// servers write the same push with `wss.clients.forEach`). Each client is connected to one instance,
// so with N instances the work inside the loop is done once per client, not N times: no scheduler
// finding. Look-alikes that stay reported: the same write done once before the loop, and a loop over
// a module list of users (not this process's connections).

afterAll(removeAnalysedProjects);

const socketServer = (job: string) => `import express from 'express';
import http from 'node:http';
import { Server } from 'socket.io';
import { Cron } from 'croner';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();
const server = http.createServer(app);
const io = new Server(server);
const watched: string[] = [];

io.on('connection', (socket) => {
  socket.on('login', (userId: string) => {
    socket.data.userId = userId;
    watched.push(userId);
  });
});

async function touch(userId: string) {
  await pool.query('UPDATE users SET last_seen = now() WHERE id = $1', [userId]);
}

async function pushStatus() {
${job}
}

new Cron('*/10 * * * * *', () => pushStatus());
server.listen(3000);
`;

const perSocket = `  const sockets = io.sockets.sockets.values();
  for (const socket of sockets) {
    if (!socket.data.userId) continue;
    await touch(socket.data.userId);
    socket.emit('status', { ok: true });
  }`;

const wsServer = (job: string) => `import { WebSocketServer } from 'ws';
import { Pool } from 'pg';

const pool = new Pool();
const wss = new WebSocketServer({ port: 8080 });

wss.on('connection', (ws) => {
  ws.on('message', (data) => ws.send(String(data)));
});

setInterval(() => {
${job}
}, 30000);
`;

describe("a timer's work done for each connection of this process", () => {
  it("socket.io's connected sockets, through a local: quiet (typed and untyped)", () => {
    expect(typedFindings({ 'server.ts': socketServer(perSocket) }, 'server.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(untypedFindings({ 'server.ts': socketServer(perSocket) }, 'server.ts', ['no-in-process-scheduler'])).toEqual([]);
  });

  it("a ws server's clients: quiet (typed and untyped)", () => {
    const job = `  wss.clients.forEach((ws) => {
    pool.query('UPDATE connections SET pinged_at = now() WHERE id = $1', [String(ws.url)]);
    ws.ping();
  });`;
    expect(typedFindings({ 'server.ts': wsServer(job) }, 'server.ts', ['no-in-process-scheduler'])).toEqual([]);
    expect(untypedFindings({ 'server.ts': wsServer(job) }, 'server.ts', ['no-in-process-scheduler'])).toEqual([]);
  });

  it('the same write done once before the loop stays reported', () => {
    const job = `  await pool.query('UPDATE users SET last_seen = now() WHERE online');
${perSocket}`;
    const reported =
      '34:1 no-in-process-scheduler: `new Cron` runs in every instance of the web process: `pushStatus()` writes to the database (`pool.query`) every 10 seconds. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.';
    expect(typedFindings({ 'server.ts': socketServer(job) }, 'server.ts', ['no-in-process-scheduler'])).toEqual([reported]);
    expect(untypedFindings({ 'server.ts': socketServer(job) }, 'server.ts', ['no-in-process-scheduler'])).toEqual([reported]);
  });

  it('a loop over a module list of users, not connections, stays reported', () => {
    const job = `  for (const userId of watched) {
    await touch(userId);
  }`;
    const reported =
      '30:1 no-in-process-scheduler: `new Cron` runs in every instance of the web process: `pushStatus()` writes to the database (`pool.query`) every 10 seconds. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.';
    expect(typedFindings({ 'server.ts': socketServer(job) }, 'server.ts', ['no-in-process-scheduler'])).toEqual([reported]);
    expect(untypedFindings({ 'server.ts': socketServer(job) }, 'server.ts', ['no-in-process-scheduler'])).toEqual([reported]);
  });
});
