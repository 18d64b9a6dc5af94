import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Collaboration servers that keep documents and their editors in this process. The finding is the
// server's construction, where the backbone is chosen, whatever request sends an edit through it.

afterAll(removeAnalysedProjects);

const untyped = (code: string, file = 'src/collab.ts'): string[] => untypedFindings({ [file]: code }, file, ['no-in-memory-pubsub']);
const typed = (code: string, file = 'src/collab.ts'): string[] => typedFindings({ [file]: code }, file, ['no-in-memory-pubsub']);

const message = (relay: string, module: string, fix: string): string =>
  `\`${relay}\` of ${module} keeps its documents and the clients editing them in this process: an edit reaches only the editors connected to this same instance, and editors of one document on two instances never see each other's changes. ${fix}`;

const CHAINPAD_FIX = 'chainpad-server has no shared backbone: route every client of a pad to the same instance (a balancer keyed by the channel), or run one relay.';
const SHAREDB_FIX = 'Give ShareDB a `pubsub` every instance shares (sharedb-redis-pubsub).';
const HOCUSPOCUS_FIX = 'Add `@hocuspocus/extension-redis` to its extensions.';
const YJS_FIX = 'Sync the documents through Redis (y-redis), or route each document to one instance.';

// A pad relay in a CommonJS module whose factory the server calls with its HTTP server.
const CHAINPAD = `const WebSocketServer = require('ws').Server;
const NetfluxSrv = require('chainpad-server');

module.exports.create = function (env) {
  const relay = NetfluxSrv.create(new WebSocketServer({ server: env.httpServer }))
    .on('channelMessage', env.historyKeeper.channelMessage);
  env.relay = relay;
};
`;

const SHAREDB = `import http from 'http';
import ShareDB from 'sharedb';
import ShareDBMongo from 'sharedb-mongo';
import { WebSocketServer } from 'ws';
import WebSocketJSONStream from '@teamwork/websocket-json-stream';

const backend = new ShareDB({ db: ShareDBMongo(process.env.MONGO_URL) });
const server = http.createServer();
new WebSocketServer({ server }).on('connection', (ws) => backend.listen(new WebSocketJSONStream(ws)));
server.listen(8080);
`;

const SHAREDB_WITH_PUBSUB = `import ShareDB from 'sharedb';
import ShareDBMongo from 'sharedb-mongo';
import redisPubSub from 'sharedb-redis-pubsub';

export const backend = new ShareDB({ db: ShareDBMongo(process.env.MONGO_URL), pubsub: redisPubSub(process.env.REDIS_URL) });
`;

// The pubsub is the project's own module (a Redis one behind it, or another broker).
const SHAREDB_WITH_OWN_PUBSUB = `const ShareDB = require('sharedb');
const { database, pubsub } = require('./backbone');

module.exports = new ShareDB({ db: database, pubsub });
`;

const HOCUSPOCUS = `import { Server } from '@hocuspocus/server';
import { Database } from '@hocuspocus/extension-database';
import { loadDocument, storeDocument } from './documents';

const server = Server.configure({
  port: 1234,
  extensions: [new Database({ fetch: loadDocument, store: storeDocument })],
});

server.listen();
`;

const HOCUSPOCUS_WITH_REDIS = `import { Server } from '@hocuspocus/server';
import { Database } from '@hocuspocus/extension-database';
import { Redis } from '@hocuspocus/extension-redis';
import { loadDocument, storeDocument } from './documents';

const server = Server.configure({
  extensions: [new Database({ fetch: loadDocument, store: storeDocument }), new Redis({ host: process.env.REDIS_HOST, port: 6379 })],
});

server.listen();
`;

// The extensions are the project's own list: the Redis extension may be in it.
const HOCUSPOCUS_WITH_EXTENSION_LIST = `import { Hocuspocus } from '@hocuspocus/server';
import { collaborationExtensions } from './extensions';

export const hocuspocus = new Hocuspocus({ debounce: 5000, extensions: collaborationExtensions() });
`;

// A sync extension of the project's own, wired to a Redis client after the server is made.
const HOCUSPOCUS_WITH_OWN_SYNC = `import { Hocuspocus } from '@hocuspocus/server';
import RedisClient from 'ioredis';
import { RedisSyncExtension } from './redis-sync';

export const hocuspocus = new Hocuspocus({ extensions: [] });
hocuspocus.configuration.extensions.push(new RedisSyncExtension({ redis: new RedisClient(process.env.REDIS_URL) }));
`;

const Y_WEBSOCKET = `const http = require('http');
const { WebSocketServer } = require('ws');
const { setupWSConnection } = require('y-websocket/bin/utils');

const server = http.createServer();
const wss = new WebSocketServer({ server });
wss.on('connection', (conn, req) => setupWSConnection(conn, req, { gc: true }));
server.listen(1234);
`;

describe('collaboration relays kept in this process', () => {
  it('chainpad-server\'s netflux relay over a ws server, made in a CommonJS factory', () => {
    expect(untyped(CHAINPAD, 'lib/api.js')).toEqual([`5:17 no-in-memory-pubsub: ${message('NetfluxSrv.create(…)', 'chainpad-server', CHAINPAD_FIX)}`]);
  });

  it.each([
    ['untyped', untyped],
    ['typed', typed],
  ])('%s: ShareDB with a database but no pubsub, and with a shared one', (_mode, run) => {
    expect(run(SHAREDB)).toEqual([`7:17 no-in-memory-pubsub: ${message('new ShareDB(…)', 'sharedb', SHAREDB_FIX)}`]);
    expect(run(SHAREDB_WITH_PUBSUB, 'src/backend.ts')).toEqual([]);
    expect(run(SHAREDB_WITH_OWN_PUBSUB, 'src/share.js')).toEqual([]);
  });

  it.each([
    ['untyped', untyped],
    ['typed', typed],
  ])('%s: Hocuspocus whose extensions hold no Redis extension', (_mode, run) => {
    expect(run(HOCUSPOCUS)).toEqual([`5:16 no-in-memory-pubsub: ${message('Server.configure(…)', '@hocuspocus/server', HOCUSPOCUS_FIX)}`]);
  });

  it.each([
    ['with the Redis extension', HOCUSPOCUS_WITH_REDIS],
    ['with a list of extensions the analysis cannot read', HOCUSPOCUS_WITH_EXTENSION_LIST],
    ['with a sync extension of its own over a Redis client', HOCUSPOCUS_WITH_OWN_SYNC],
  ])('quiet: Hocuspocus %s', (_case, code) => {
    expect(untyped(code, 'src/hocuspocus.ts')).toEqual([]);
  });

  it('y-websocket\'s setupWSConnection, which keeps the documents in the process', () => {
    expect(untyped(Y_WEBSOCKET, 'server.js')).toEqual([`7:37 no-in-memory-pubsub: ${message('setupWSConnection(…)', 'y-websocket/bin/utils', YJS_FIX)}`]);
  });

  it('quiet: the same relays in a test and in browser code', () => {
    expect(untyped(SHAREDB, 'test/collab.test.ts')).toEqual([]);
    expect(untyped(`'use client';\nimport ShareDB from 'sharedb';\nexport const local = new ShareDB();\n`, 'src/components/editor.tsx')).toEqual([]);
  });
});
