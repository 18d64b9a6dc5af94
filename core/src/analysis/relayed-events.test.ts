import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 34b of test/real-world: a WhatsApp HTTP API on NestJS with `@nestjs/platform-ws` keeps its ws
// clients in a gateway's Map keyed by the socket and sends them the session's status events from a
// listener of the session manager's EventEmitter (`this.manager.events.on(Events.SESSION_STATUS,
// this.sendToAll.bind(this))`), which the manager raises with an event name its caller hands in
// (`this.events.emit(event, data)`). The emit is raised by the session this process runs, on no request
// path the graph sees, so the loop was on none either. Look-alikes: the same gateway relaying what a
// Redis subscriber hears (every instance hears it and tells its own clients), and an event each instance
// raises from its own timer.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-pubsub', 'no-in-memory-session', 'no-process-local-cache'] as const;

const files = {
  'src/session.ts': `import { EventEmitter } from 'events';

export class Session {
  public events = new EventEmitter();
  private _status = 'STOPPED';
  constructor(public readonly name: string) {}

  protected set status(value: string) {
    this._status = value;
    this.events.emit('session.status', { name: this.name, status: value });
  }

  async start(): Promise<void> {
    this.status = 'STARTING';
  }
}
`,
  'src/manager.ts': `import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'events';
import { Session } from './session';

export enum Events {
  SESSION_STATUS = 'session.status',
}

@Injectable()
export class SessionManager {
  public events = new EventEmitter();

  async start(name: string) {
    const session = new Session(name);
    session.events.on(Events.SESSION_STATUS, this.handleSessionEvent(Events.SESSION_STATUS, session));
    await session.start();
    return { name };
  }

  protected handleSessionEvent(event: Events, session: Session) {
    return (payload: any) => {
      this.events.emit(event, { event, session: session.name, payload });
    };
  }
}
`,
  'src/sessions.controller.ts': `import { Body, Controller, Post } from '@nestjs/common';
import { SessionManager } from './manager';

@Controller('api/sessions')
export class SessionsController {
  constructor(private readonly manager: SessionManager) {}

  @Post('start')
  start(@Body() body: { name: string }) {
    return this.manager.start(body.name);
  }
}
`,
  'src/websocket.gateway.ts': `import { OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { IncomingMessage } from 'http';
import { Server, WebSocket } from 'ws';
import { Events, SessionManager } from './manager';

@WebSocketGateway({ path: '/ws' })
export class WebsocketGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  @WebSocketServer()
  server: Server;

  private listeners: Map<WebSocket, { events: string[] }> = new Map();

  constructor(private manager: SessionManager) {}

  handleConnection(socket: WebSocket, request: IncomingMessage) {
    const events = (new URL(request.url ?? '/', 'http://x').searchParams.get('events') ?? '*').split(',');
    this.listeners.set(socket, { events });
  }

  handleDisconnect(socket: WebSocket) {
    this.listeners.delete(socket);
  }

  afterInit() {
    this.manager.events.on(Events.SESSION_STATUS, this.sendToAll.bind(this));
  }

  sendToAll(data: any) {
    this.listeners.forEach((options, client) => {
      if (options.events.length === 0) return;
      client.send(JSON.stringify(data));
    });
  }
}
`,
  'src/app.module.ts': `import { Module } from '@nestjs/common';
import { SessionManager } from './manager';
import { SessionsController } from './sessions.controller';
import { WebsocketGateway } from './websocket.gateway';

@Module({ controllers: [SessionsController], providers: [SessionManager, WebsocketGateway] })
export class AppModule {}
`,
  'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useWebSocketAdapter(new WsAdapter(app));
  await app.listen(3000);
}
bootstrap();
`,
  'package.json': '{ "name": "waha", "dependencies": { "@nestjs/core": "10.0.0", "@nestjs/platform-ws": "10.0.0", "@nestjs/websockets": "10.0.0", "ws": "8.0.0" } }',
};

const EXPECTED = [
  '11:11 no-in-memory-pubsub: `listeners` lists the clients connected to this instance; WebSocket connection (WebsocketGateway.handleConnection, src/websocket.gateway.ts:15) and 1 other handler adds to it and a listener of Events.SESSION_STATUS (src/websocket.gateway.ts:29) sends to its entries. The event is raised on the instance where it happens, so clients connected to another instance never hear of it.',
];

const gateway = files['src/websocket.gateway.ts'];

/** The gateway relays what a Redis subscriber hears: published by whichever instance runs the session. */
const redisRelay = {
  ...files,
  'src/websocket.gateway.ts': gateway
    .replace("import { Events, SessionManager } from './manager';", "import Redis from 'ioredis';\nimport { SessionManager } from './manager';")
    .replace('  constructor(private manager: SessionManager) {}', '  private subscriber = new Redis(process.env.REDIS_URL!);\n\n  constructor(private manager: SessionManager) {}')
    .replace('this.manager.events.on(Events.SESSION_STATUS, this.sendToAll.bind(this));', "this.subscriber.subscribe('session.status');\n    this.subscriber.on('message', (_channel: string, message: string) => this.sendToAll(JSON.parse(message)));"),
};

/** A heartbeat each instance raises from its own timer and sends to its own clients. */
const timerRelay = {
  ...files,
  'src/manager.ts': files['src/manager.ts'].replace(
    '  async start(name: string) {',
    "  startHeartbeat() {\n    setInterval(() => this.events.emit('heartbeat', { at: Date.now() }), 10_000);\n  }\n\n  async start(name: string) {",
  ),
  'src/websocket.gateway.ts': gateway.replace('this.manager.events.on(Events.SESSION_STATUS, this.sendToAll.bind(this));', "this.manager.events.on('heartbeat', (beat: unknown) => this.sendToAll(beat));"),
};

describe('a gateway sends its clients the events of a service emitter', () => {
  it('the client Map is fan-out of events raised on this instance (untyped)', () => {
    expect(untyped(files, 'src/websocket.gateway.ts', [...RULES])).toEqual(EXPECTED);
    expect(untyped(files, 'src/manager.ts', [...RULES])).toEqual([]);
  });

  it('the same, typed', () => {
    expect(typed(files, 'src/websocket.gateway.ts', [...RULES])).toEqual(EXPECTED);
    expect(typed(files, 'src/manager.ts', [...RULES])).toEqual([]);
  });

  it('relaying what a Redis subscriber hears is quiet', () => {
    expect(untyped(redisRelay, 'src/websocket.gateway.ts', [...RULES])).toEqual([]);
    expect(typed(redisRelay, 'src/websocket.gateway.ts', [...RULES])).toEqual([]);
  });

  it("relaying an event each instance raises from its own timer is quiet", () => {
    expect(untyped(timerRelay, 'src/websocket.gateway.ts', [...RULES])).toEqual([]);
    expect(typed(timerRelay, 'src/websocket.gateway.ts', [...RULES])).toEqual([]);
  });
});
