import ts = require('typescript');
import { describeRoutes, pathSteps, primaryReach, type AnalysisContext } from '../analysis/context';
import { fanOutLoopsOf, findEmitterFanOuts, findLocalSocketIoServers, findWsBroadcasts, presenceSendsOf, socketIoHasAdapter, type SendingLoop } from '../analysis/pubsub';
import { accessorLoopsOf } from '../analysis/pubsub-accessors';
import { findCollaborationRelays } from '../analysis/collaboration-relays';
import { findInMemoryGraphqlPubSubs } from '../analysis/graphql-pubsub';
import { findRoomConnectionLists, roomsKeptIn } from '../analysis/pubsub-rooms';
import { findNestEventFanOuts, findNestEventSubscriptions } from '../analysis/nest-events';
import type { Reach } from '../analysis/request-graph';
import { statesWrittenOnRequestPath, type SharedState, type StateWrite } from '../analysis/shared-state';
import { relayOf } from '../analysis/relayed-events';
import { isAllowedName, sortReaches } from '../analysis/state-findings';
import { lineAndColumn, spanOf } from '../analysis/text';
import type { RuleDefinition } from '../rule-definition';
import type { NoInMemoryPubsubOptions } from '../types';

const STICKY_NOTE =
  " socket.io's HTTP long-polling (on by default) also needs sticky sessions at the load balancer; they keep each client on one instance but carry no broadcasts, so they are a patch, not the fix.";

export const noInMemoryPubsub: RuleDefinition<'no-in-memory-pubsub'> = {
  id: 'no-in-memory-pubsub',
  description: 'Disallow broadcasts and event fan-out that only reach clients of this process',
  whatBreaks:
    'A message sent to "everyone" reaches only the clients connected to the instance that sent it: with N instances, chat messages, notifications and live updates miss most users, and requests waiting for an event never hear it when the event happens on another instance.',
  configs: ['recommended', 'strict', 'all'],
  messages: {
    socketIoWithoutAdapter:
      '{{server}} has no adapter, so `{{broadcast}}` on {{route}} reaches only the clients connected to this instance.{{sticky}}',
    socketIoEventWithoutAdapter:
      '{{server}} has no adapter, so `{{broadcast}}` ({{where}}), run when this process emits "{{event}}", reaches only the clients connected to this instance.{{sticky}}',
    wsBroadcastInMemory:
      '`{{name}}` holds only the WebSocket connections of this instance: the broadcast on {{route}} misses every client connected to another instance. Publish through Redis pub/sub and let each instance send to its own clients.',
    clientListInMemory:
      '`{{name}}` lists the clients connected to this instance; {{route}} adds to it and {{sendRoute}} sends to its entries. Clients connected to other instances never get the message.',
    roomRegistryInMemory:
      '`{{name}}` keeps the `{{className}}`s of this instance, each sending to the clients that joined it here: {{route}} changes it and {{sendRoute}} sends through a {{className}} taken out of it (`{{send}}`), so clients of the same room connected to another instance never get the message.',
    roomClientsInMemory:
      'Each `{{className}}` keeps its connected clients in `{{name}}`, in this process only: {{route}} adds to it and {{sendRoute}} sends to its entries, so clients of the same {{className}} connected to another instance never get the message.',
    clientListEventInMemory:
      '`{{name}}` lists the clients connected to this instance; {{route}} adds to it and a listener of {{event}} ({{where}}) sends to its entries. The event is raised on the instance where it happens, so clients connected to another instance never hear of it.',
    presenceInMemory:
      '`{{name}}` lists the clients connected to this instance; {{route}} adds to it and {{sendRoute}} sends the list to a client, which never learns of the clients connected to other instances.',
    eventModuleInMemory:
      '`{{module}}` delivers events inside this process only: "{{event}}", emitted on {{emitRoute}}, runs the `@OnEvent` listener {{listener}}, which sends to the clients connected to this instance ({{where}}). Clients connected to other instances never hear of it; publish the event through Redis pub/sub so every instance tells its own clients.',
    eventSubscriptionInMemory:
      '`{{module}}` delivers events inside this process only: requests waiting on {{route}} subscribe to "{{event}}", which `{{emitter}}` emits to the subscribers of its own instance. Clients waiting on other instances never hear of it; publish the event through Redis pub/sub so every instance tells its own clients.',
    emitterInMemory:
      '`{{name}}` is an in-process event emitter: requests waiting on {{route}} only hear what {{emitRoute}} emits on this same instance. Behind a load balancer that request usually reaches another instance, and the waiting client never hears it.',
    graphqlPubSubInMemory:
      '`{{engine}}` of {{module}} delivers GraphQL subscription events inside this process only: what one instance publishes never reaches the subscribers connected to another. Give the subscriptions an engine every instance shares (graphql-redis-subscriptions\' `RedisPubSub`, a Redis event target, mqemitter-redis).',
    collaborationRelayInMemory:
      '`{{relay}}` of {{module}} keeps its documents and the clients editing them in this process: an edit reaches only the editors connected to this same instance, and editors of one document on two instances never see each other\'s changes. {{fix}}',
    socketIoAddRedisAdapter: 'Broadcast through Redis with @socket.io/redis-adapter (clients from REDIS_URL)',
    socketIoAddLegacyRedisAdapter: "Broadcast through Redis with socket.io-redis 5, socket.io 2's Redis adapter (clients from REDIS_URL)",
    emitterMoveToRedisPubSub: 'Publish `{{name}}` through Redis pub/sub ({{adapter}})',
    broadcastThroughRedis: 'Publish `{{name}}`\'s broadcasts through Redis, each instance sending to its own clients ({{adapter}})',
  },
  optionsSchema: {
    type: 'object',
    properties: {
      checkServers: {
        type: 'boolean',
        description: 'Report socket.io servers and NestJS socket.io gateways that broadcast on a request path without an adapter (@socket.io/redis-adapter or another).',
      },
      allowNames: {
        type: 'array',
        items: { type: 'string' },
        description: 'Names of client lists and event emitters that are knowingly per instance; `/regex/` strings match by pattern.',
      },
    },
    additionalProperties: false,
  },
  defaultOptions: { checkServers: true, allowNames: [] },
  hasSuggestions: false,
  check(context, options) {
    if (context.isIgnoredFile) return;
    const { graph, sourceFile } = context;
    if (options.checkServers) {
      for (const server of findLocalSocketIoServers(graph, sourceFile)) {
        const broadcast = callText(server.broadcast);
        const sticky = server.polling ? STICKY_NOTE : '';
        const first = primaryReach(server.broadcastReaches);
        if (!first) {
          const file = server.broadcast.getSourceFile();
          const where = `${graph.displayPath(file.fileName)}:${lineAndColumn(file, server.broadcast.getStart(file)).line}`;
          context.report({ ruleId: 'no-in-memory-pubsub', messageId: 'socketIoEventWithoutAdapter', data: { server: server.label, broadcast, event: server.event ?? '', where, sticky }, node: server.node });
          continue;
        }
        context.report({
          ruleId: 'no-in-memory-pubsub',
          messageId: 'socketIoWithoutAdapter',
          data: { server: server.label, broadcast, route: describeRoutes(sortReaches(server.broadcastReaches), graph), sticky },
          node: server.node,
          path: pathSteps(first, server.broadcast, `broadcasts with ${broadcast}`),
        });
      }
    }
    for (const broadcast of findWsBroadcasts(graph, sourceFile)) {
      const name = broadcast.clients.getText().replace(/\s+/g, '');
      context.report({
        ruleId: 'no-in-memory-pubsub',
        messageId: 'wsBroadcastInMemory',
        data: { name, route: describeRoutes(sortReaches(broadcast.reaches), graph) },
        node: broadcast.clients,
        path: pathSteps(primaryReach(broadcast.reaches)!, broadcast.clients, `sends to every client in ${name}`),
      });
    }
    for (const engine of findInMemoryGraphqlPubSubs(sourceFile)) {
      context.report({ ruleId: 'no-in-memory-pubsub', messageId: 'graphqlPubSubInMemory', data: { engine: engine.label, module: engine.module }, node: engine.node });
    }
    for (const relay of findCollaborationRelays(sourceFile)) {
      context.report({ ruleId: 'no-in-memory-pubsub', messageId: 'collaborationRelayInMemory', data: { relay: relay.label, module: relay.module, fix: relay.fix }, node: relay.node });
    }
    reportClientLists(context, options);
    for (const list of findRoomConnectionLists(graph, sourceFile)) {
      if (isAllowedName(list.name, options.allowNames)) continue;
      const sendReaches = sortReaches(list.sends.flatMap((send) => send.reaches));
      const firstSend = primaryReach(sendReaches)!;
      const sendNode = list.sends.find((send) => send.reaches.includes(firstSend))?.node ?? list.sends[0].node;
      context.report({
        ruleId: 'no-in-memory-pubsub',
        messageId: 'roomClientsInMemory',
        data: { name: list.name, className: list.className, route: describeRoutes(sortReaches(list.adds.flatMap((add) => add.reaches)), graph), sendRoute: describeRoutes(sendReaches, graph) },
        node: list.nameNode,
        path: pathSteps(firstSend, sendNode, `sends to the clients in ${list.className}.${list.name}`),
        related: [
          ...list.adds.map((add) => ({ ...spanOf(add.node), message: `a client joins ${list.className}.${list.name} here (${sortReaches(add.reaches)[0].entry.label})` })),
          ...list.sends.map((send) => ({ ...spanOf(send.node), message: `sends to the clients of this instance only (${sortReaches(send.reaches)[0].entry.label})` })),
        ],
      });
    }
    for (const bus of findNestEventFanOuts(graph, sourceFile)) {
      const emitReaches = sortReaches(bus.emits.flatMap((emit) => emit.reaches));
      const firstEmit = primaryReach(emitReaches)!;
      const emitCall = bus.emits.find((emit) => emit.reaches.includes(firstEmit)) ?? bus.emits[0];
      const file = bus.send.getSourceFile();
      const where = `${graph.displayPath(file.fileName)}:${lineAndColumn(file, bus.send.getStart(file)).line}`;
      context.report({
        ruleId: 'no-in-memory-pubsub',
        messageId: 'eventModuleInMemory',
        data: { module: callText(bus.node), event: bus.event, emitRoute: describeRoutes(emitReaches, graph), listener: bus.listener, where },
        node: bus.node,
        path: pathSteps(firstEmit, emitCall.node, `emits "${bus.event}" to this process's listeners`),
        related: [
          ...bus.emits.map((emit) => ({ ...spanOf(emit.node), message: `"${bus.event}" is emitted here, to this instance's listeners only (${sortReaches(emit.reaches)[0].entry.label})` })),
          { ...spanOf(bus.send), message: `${bus.listener} sends to the clients of this instance only` },
        ],
      });
    }
    // Reported once per module: an event that reaches a listener which sends to clients says it already.
    const fannedOut = new Set(findNestEventFanOuts(graph, sourceFile).map((bus) => bus.node));
    for (const bus of findNestEventSubscriptions(graph, sourceFile)) {
      if (fannedOut.has(bus.node)) continue;
      const reaches = sortReaches(bus.subscription.reaches);
      const emitter = enclosingFunctionName(bus.emit);
      context.report({
        ruleId: 'no-in-memory-pubsub',
        messageId: 'eventSubscriptionInMemory',
        data: { module: callText(bus.node), event: bus.event, route: describeRoutes(reaches, graph), emitter },
        node: bus.node,
        path: pathSteps(primaryReach(reaches)!, bus.subscription.node, `waits for "${bus.event}" from this process's bus`),
        related: [
          { ...spanOf(bus.subscription.node), message: `a request subscribes to "${bus.event}" here (${reaches[0].entry.label})` },
          { ...spanOf(bus.emit), message: `"${bus.event}" is emitted here, to the subscribers of this instance only` },
        ],
      });
    }
    for (const emitter of findEmitterFanOuts(graph, sourceFile)) {
      if (isAllowedName(emitter.name, options.allowNames)) continue;
      const subscribeReaches = sortReaches(emitter.subscriptions.flatMap((s) => s.reaches));
      const emitReaches = sortReaches(emitter.emits.flatMap((e) => e.reaches));
      const firstEmit = primaryReach(emitReaches)!;
      const emitCall = emitter.emits.find((e) => e.reaches.includes(firstEmit)) ?? emitter.emits[0];
      context.report({
        ruleId: 'no-in-memory-pubsub',
        messageId: 'emitterInMemory',
        data: { name: emitter.name, route: describeRoutes(subscribeReaches, graph), emitRoute: describeRoutes(emitReaches, graph) },
        node: emitter.nameNode,
        path: pathSteps(firstEmit, emitCall.node, `emits on ${emitter.name}`),
        related: [
          ...emitter.subscriptions.map((s) => ({ ...spanOf(s.node), message: `a request waits on ${emitter.name} here (${sortReaches(s.reaches)[0].entry.label})` })),
          ...emitter.emits.map((e) => ({ ...spanOf(e.node), message: `${emitter.name} emits here, to this instance only (${sortReaches(e.reaches)[0].entry.label})` })),
        ],
      });
    }
  },
};

/** Module and singleton lists of connected clients: added to on a request path, sent to on a request path. */
function reportClientLists(context: AnalysisContext, options: NoInMemoryPubsubOptions): void {
  const { graph, sourceFile } = context;
  for (const { state, writes, classification } of statesWrittenOnRequestPath(graph, sourceFile)) {
    if (classification !== 'realtime' || isAllowedName(state.name, options.allowNames)) continue;
    const sends: { node: ts.Node; reaches: readonly Reach[] }[] = [];
    // Loops in other modules over what the state's own accessor hands out send to its connections too.
    const loops = fanOutLoopsOf(state);
    for (const loop of [...loops, ...accessorLoopsOf(state, graph).filter((loop) => !loops.includes(loop))]) {
      const reaches = graph.reachesOf(loop.node);
      if (reaches.length > 0) sends.push({ node: loop.node, reaches });
    }
    // Rooms as objects taken out of the Map, whose own methods send (`roomList.get(id).broadCast(…)`).
    const registry = sends.length === 0 ? roomsKeptIn(state, graph) : undefined;
    if (registry) {
      // Sends that all go through socket.io, with no loop over the room's own peers, reach every instance once socket.io has an adapter.
      if (registry.throughSocketIo && socketIoHasAdapter(graph, sourceFile)) continue;
      for (const send of registry.sends) {
        const reaches = graph.reachesOf(send);
        if (reaches.length > 0) sends.push({ node: send, reaches });
      }
    }
    // A loop run by a listener of an in-process event the service raises (`this.manager.events.on(…, this.sendToAll.bind(this))`):
    // on no request path the graph sees, it sends what happened on this instance to this instance's clients only.
    if (sends.length === 0 && !registry && reportRelayedEvent(context, state, writes, loops)) continue;
    // Presence: no loop sends to the clients, but the list itself (or one room of it) is sent to one.
    const presence = sends.length === 0;
    if (presence) {
      for (const send of presenceSendsOf(state, writes.map((write) => write.mutation))) {
        const reaches = graph.reachesOf(send);
        if (reaches.length > 0) sends.push({ node: send, reaches });
      }
    }
    if (sends.length === 0) continue;
    const sendReaches = sortReaches(sends.flatMap((send) => send.reaches));
    const firstSend = primaryReach(sendReaches)!;
    const sendNode = sends.find((send) => send.reaches.includes(firstSend))?.node ?? sends[0].node;
    const route = describeRoutes(sortReaches(writes.flatMap((write) => write.reaches)), graph);
    context.report({
      ruleId: 'no-in-memory-pubsub',
      ...(registry
        ? { messageId: 'roomRegistryInMemory' as const, data: { name: state.name, className: registry.className, route, sendRoute: describeRoutes(sendReaches, graph), send: `${registry.className}.${enclosingFunctionName(sendNode).split('.').pop()}()` } }
        : { messageId: presence ? ('presenceInMemory' as const) : ('clientListInMemory' as const), data: { name: state.name, route, sendRoute: describeRoutes(sendReaches, graph) } }),
      node: state.nameNode,
      path: pathSteps(firstSend, sendNode, registry ? `sends to the clients of a ${registry.className} in ${state.name}` : presence ? `sends ${state.name} to a client` : `sends to the clients in ${state.name}`),
      related: [
        ...writes.map((write) => ({ ...spanOf(write.mutation.node), message: `${state.name} changes here (${sortReaches(write.reaches)[0].entry.label})` })),
        ...sends.map((send) => ({ ...spanOf(send.node), message: `${presence ? 'tells a client who is connected to this instance only' : 'sends to the clients of this instance only'} (${sortReaches(send.reaches)[0].entry.label})` })),
      ],
    });
  }
}

/** Reports a client list whose sending loop runs in a listener of an in-process event (see `relayed-events.ts`); false when there is none. */
function reportRelayedEvent(context: AnalysisContext, state: SharedState, writes: readonly StateWrite[], loops: readonly SendingLoop[]): boolean {
  const { graph } = context;
  for (const loop of loops) {
    const relay = relayOf(loop.node, graph);
    if (!relay) continue;
    const file = loop.node.getSourceFile();
    const emitFile = relay.emit.getSourceFile();
    context.report({
      ruleId: 'no-in-memory-pubsub',
      messageId: 'clientListEventInMemory',
      data: {
        name: state.name,
        route: describeRoutes(sortReaches(writes.flatMap((write) => write.reaches)), graph),
        event: relay.event,
        where: `${graph.displayPath(file.fileName)}:${lineAndColumn(file, loop.node.getStart(file)).line}`,
      },
      node: state.nameNode,
      related: [
        ...writes.map((write) => ({ ...spanOf(write.mutation.node), message: `${state.name} changes here (${sortReaches(write.reaches)[0].entry.label})` })),
        { ...spanOf(relay.subscription), message: `listens to ${relay.event} of this process` },
        { ...spanOf(relay.emit), message: `raised here, in the process where it happens (${graph.displayPath(emitFile.fileName)})` },
        { ...spanOf(loop.node), message: 'sends to the clients of this instance only' },
      ],
    });
    return true;
  }
  return false;
}

/** `io.to(…).emit()`: the callee with the arguments of the calls in it left out. */
function callText(call: ts.CallExpression | ts.NewExpression): string {
  let text = call.expression.getText().replace(/\s+/g, '');
  for (let guard = 0; guard < 8 && /\([^()]*[^()…][^()]*\)/.test(text); guard++) text = text.replace(/\(([^()]*[^()…][^()]*)\)/g, '(…)');
  return `${text}()`;
}

/** `FeedScheduler.analyzeTrend`, `notify` or the file name: where an emit is written. */
function enclosingFunctionName(node: ts.Node): string {
  for (let current = node.parent; current; current = current.parent) {
    if ((ts.isMethodDeclaration(current) || ts.isFunctionDeclaration(current)) && current.name) {
      const owner = ts.isClassLike(current.parent) && current.parent.name ? `${current.parent.name.text}.` : '';
      return `${owner}${current.name.getText()}`;
    }
  }
  return node.getSourceFile().fileName.split('/').pop() ?? 'this file';
}
