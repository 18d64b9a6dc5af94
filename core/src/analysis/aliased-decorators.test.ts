import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A NestJS gateway whose decorator a setting picks: `const ConditionalGateway = disabled ? () => {} :
// WebSocketGateway({ cors: true })`, then `@ConditionalGateway class ActivityGateway` (round 33 of
// test/real-world, a game library's activity gateway on unless a setting turns it off). The class is a
// gateway in every deployment that leaves the setting alone: its handlers run per socket event, its
// fields are the process's. Look-alike: a const that holds no decorator factory's call stays no gateway.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-pubsub', 'no-in-memory-session'];

const gateway = (decorator: string) => ({
  'package.json': '{ "name": "activity", "dependencies": { "@nestjs/websockets": "11.0.0", "@nestjs/platform-socket.io": "11.0.0" } }',
  'activity.gateway.ts': `import { ConnectedSocket, MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';

const disabled = process.env.ONLINE_ACTIVITIES_DISABLED === 'true';
const ConditionalGateway = ${decorator};

@ConditionalGateway
export class ActivityGateway {
  private readonly activities = new Map<string, { state: string }>();

  @WebSocketServer()
  server!: Server;

  @SubscribeMessage('set-activity')
  setActivity(@ConnectedSocket() client: Socket, @MessageBody() activity: { user: string; state: string }) {
    this.activities.set(activity.user, { state: activity.state });
    this.server.emit('activity', activity);
  }
}
`,
});

describe('a gateway decorated through a const a setting picks', () => {
  it('is a gateway: its broadcast and its per-user map are reported, typed and untyped', () => {
    const files = gateway('disabled ? () => {} : WebSocketGateway({ cors: true })');
    const found = untyped(files, 'activity.gateway.ts', RULES);
    expect(found.map((line) => line.split(': ')[0])).toEqual(['7:1 no-in-memory-pubsub', '9:20 no-in-memory-session']);
    expect(typed(files, 'activity.gateway.ts', RULES)).toEqual(found);
  });

  it('look-alike: a const holding a no-op function is no gateway', () => {
    const files = gateway('() => (target: unknown) => target');
    expect(untyped(files, 'activity.gateway.ts', RULES)).toEqual([]);
    expect(typed(files, 'activity.gateway.ts', RULES)).toEqual([]);
  });
});
