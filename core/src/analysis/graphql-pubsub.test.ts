import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { createProgram } from '../testing/program';
import type { Finding } from '../types';
import { lineAndColumn } from './text';

// GraphQL subscription engines that live in this process. The finding is the engine's construction,
// whatever publishes through it: a resolver, a service, a logger.

const texts = new Map<string, string>();

function untyped(code: string, fileName = '/app/src/pubsub.ts'): string[] {
  texts.set(fileName, code);
  const kind = fileName.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, kind);
  return analyzeSourceFile(sourceFile, { rules: ['no-in-memory-pubsub'] }).map(describe_);
}

function typed(code: string, fileName = '/app/src/pubsub.ts'): string[] {
  texts.set(fileName, code);
  const program = createProgram({ [fileName]: code });
  return analyzeSourceFile(program.getSourceFile(fileName)!, { program, projectRoot: '/app', rules: ['no-in-memory-pubsub'] }).map(describe_);
}

/** `rule line:column message`, the line 1-based and the column 0-based (as ESLint reports them). */
function describe_(finding: Finding): string {
  const sourceText = texts.get(finding.fileName)!;
  const { line, column } = lineAndColumn(ts.createSourceFile(finding.fileName, sourceText, ts.ScriptTarget.Latest), finding.start);
  return `${finding.ruleId} ${line}:${column} ${finding.message}`;
}

const message = (engine: string, module: string): string =>
  `\`${engine}\` of ${module} delivers GraphQL subscription events inside this process only: what one instance publishes never reaches the subscribers connected to another. Give the subscriptions an engine every instance shares (graphql-redis-subscriptions' \`RedisPubSub\`, a Redis event target, mqemitter-redis).`;

const NEST_SERVICE = `import { Injectable, OnModuleInit } from '@nestjs/common';
import { PubSub as LocalPubSub } from 'graphql-subscriptions';

@Injectable()
export class PubSubService implements OnModuleInit {
  private pubsub: LocalPubSub;

  onModuleInit() {
    this.pubsub = new LocalPubSub();
  }

  asyncIterator<T>(topic: string): AsyncIterator<T> {
    return this.pubsub.asyncIterableIterator(topic);
  }

  async publish(topic: string, payload: unknown) {
    await this.pubsub.publish(topic, payload);
  }
}
`;

const COMMONJS_SCHEMA = `const { ApolloServer } = require('apollo-server-express')
const PubSub = require('graphql-subscriptions').PubSub

global.GQLEmitter = new PubSub()

const resolvers = {
  Subscription: {
    livetrail: { subscribe: () => global.GQLEmitter.asyncIterator('livetrail') }
  }
}

module.exports = new ApolloServer({ typeDefs: [], resolvers })
`;

describe('in-memory GraphQL subscription engines', () => {
  it.each([
    ['untyped', untyped],
    ['typed', typed],
  ])('%s: a Nest provider that creates graphql-subscriptions\' PubSub under another name', (_mode, run) => {
    expect(run(NEST_SERVICE)).toEqual([`no-in-memory-pubsub 9:18 ${message('new LocalPubSub()', 'graphql-subscriptions')}`]);
  });

  it('a CommonJS schema module that keeps the engine on global for a resolver', () => {
    expect(untyped(COMMONJS_SCHEMA, '/app/server/graph/index.js')).toEqual([`no-in-memory-pubsub 4:20 ${message('new PubSub()', 'graphql-subscriptions')}`]);
  });

  it('Apollo Server 2 re-exports the same engine', () => {
    const code = `import { ApolloServer, PubSub } from 'apollo-server';\nexport const pubsub = new PubSub();\nexport const server = new ApolloServer({ typeDefs: [], resolvers: {} });\n`;
    expect(untyped(code)).toEqual([`no-in-memory-pubsub 2:22 ${message('new PubSub()', 'apollo-server')}`]);
  });

  it("GraphQL Yoga's createPubSub() without an event target", () => {
    const code = `import { createPubSub, createYoga } from 'graphql-yoga';\nexport const pubSub = createPubSub<{ 'post:created': [string] }>();\nexport const yoga = createYoga({ schema: undefined as never, context: { pubSub } });\n`;
    expect(untyped(code)).toEqual([`no-in-memory-pubsub 2:22 ${message('createPubSub()', 'graphql-yoga')}`]);
  });

  it("Mercurius' subscriptions on its default emitter", () => {
    const code = `import Fastify from 'fastify';\nimport mercurius from 'mercurius';\nconst app = Fastify();\napp.register(mercurius, { schema: '', resolvers: {}, subscription: true });\napp.listen({ port: 3000 });\n`;
    expect(untyped(code)).toEqual([`no-in-memory-pubsub 4:53 ${message('mercurius', 'mercurius')}`]);
  });
});

describe('engines every instance shares, and look-alikes', () => {
  it('graphql-redis-subscriptions\' RedisPubSub', () => {
    const code = `import { RedisPubSub } from 'graphql-redis-subscriptions';\nimport Redis from 'ioredis';\nexport const pubsub = new RedisPubSub({ publisher: new Redis(), subscriber: new Redis() });\n`;
    expect(untyped(code)).toEqual([]);
    expect(typed(code)).toEqual([]);
  });

  it('the in-memory engine as the development fallback of a Redis one chosen in the same file', () => {
    const code = `import { PubSub } from 'graphql-subscriptions';\nimport { RedisPubSub } from 'graphql-redis-subscriptions';\nexport const pubsub = process.env.REDIS_URL ? new RedisPubSub({ connection: process.env.REDIS_URL }) : new PubSub();\n`;
    expect(untyped(code)).toEqual([]);
  });

  it('Yoga with a Redis event target', () => {
    const code = `import { createPubSub } from 'graphql-yoga';\nimport { createRedisEventTarget } from '@graphql-yoga/redis-event-target';\nimport Redis from 'ioredis';\nexport const pubSub = createPubSub({ eventTarget: createRedisEventTarget({ publishClient: new Redis(), subscribeClient: new Redis() }) });\n`;
    expect(untyped(code)).toEqual([]);
  });

  it('Yoga given options it cannot see', () => {
    const code = `import { createPubSub } from 'graphql-yoga';\nimport { pubSubOptions } from './redis';\nexport const pubSub = createPubSub(pubSubOptions);\n`;
    expect(untyped(code)).toEqual([]);
  });

  it('Mercurius with mqemitter-redis, and without subscriptions', () => {
    const redis = `import Fastify from 'fastify';\nimport mercurius from 'mercurius';\nimport mqRedis from 'mqemitter-redis';\nconst app = Fastify();\napp.register(mercurius, { schema: '', subscription: { emitter: mqRedis({ port: 6379 }) } });\n`;
    const none = `import Fastify from 'fastify';\nimport mercurius from 'mercurius';\nconst app = Fastify();\napp.register(mercurius, { schema: '', resolvers: {} });\n`;
    expect(untyped(redis)).toEqual([]);
    expect(untyped(none)).toEqual([]);
  });

  it('a PubSub of another package (Google Cloud Pub/Sub client)', () => {
    const code = `import { PubSub } from '@google-cloud/pubsub';\nimport { Injectable } from '@nestjs/common';\n@Injectable()\nexport class Events { private readonly client = new PubSub(); }\n`;
    expect(untyped(code)).toEqual([]);
  });

  it('tests that build an engine for a resolver under test', () => {
    expect(untyped(NEST_SERVICE, '/app/src/pubsub.service.spec.ts')).toEqual([]);
    expect(untyped(NEST_SERVICE, '/app/test/pubsub.e2e.ts')).toEqual([]);
  });
});
