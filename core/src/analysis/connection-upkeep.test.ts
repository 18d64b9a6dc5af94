import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// The reconnect bookkeeping of a class's own connection to a broker (round 30, test/real-world: a
// WhatsApp gateway's Kafka and RabbitMQ event publishers; public services write the same publisher
// with an attempt count and a re-entry flag around a back-off timer), written here in a shape of our
// own. The attempt count and the flag say how this instance's connection is doing: no user's count
// and no shared work to guard. The look-alike: the same class whose timer flushes a batch instead of
// reconnecting keeps its counter finding.

afterAll(removeAnalysedProjects);

const publisher = (open: string) => ({
  'src/broker-client.ts': `export interface BrokerConnection {
  send(topic: string, body: string): Promise<void>;
}

export const brokerClient = {
  connect: async (_url: string): Promise<BrokerConnection> => ({ send: async () => undefined }),
  flush: async (_url: string): Promise<BrokerConnection> => ({ send: async () => undefined }),
};
`,
  'src/publisher.ts': `import { brokerClient, type BrokerConnection } from './broker-client';

class Publisher {
  private connection: BrokerConnection | undefined;
  private attempts = 0;
  private isReconnecting = false;

  private async open(): Promise<void> {
    try {
      this.connection = await brokerClient.${open}(process.env.BROKER_URL ?? 'broker://localhost');
      this.attempts = 0;
      this.isReconnecting = false;
    } catch {
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (this.isReconnecting || this.attempts >= 10) return;
    this.isReconnecting = true;
    this.attempts++;
    setTimeout(async () => {
      this.isReconnecting = false;
      await this.open();
    }, 1000 * 2 ** this.attempts);
  }

  async publish(topic: string, body: string): Promise<void> {
    if (!this.connection) {
      this.scheduleRetry();
      return;
    }
    await this.connection.send(topic, body);
  }
}

export const publisher = new Publisher();
`,
  'src/server.ts': `import express from 'express';
import { publisher } from './publisher';

const app = express();
app.use(express.json());
app.post('/events', async (req, res) => {
  await publisher.publish('events', JSON.stringify(req.body));
  res.status(202).end();
});
app.listen(3000);
`,
});

const STATE_RULES = ['no-in-memory-session', 'no-in-memory-counter', 'no-in-process-lock', 'no-process-local-cache'] as const;

describe("the reconnect bookkeeping of a class's own broker connection", () => {
  it('its attempt count and re-entry flag stay quiet (untyped and typed)', () => {
    const files = publisher('connect');
    const result = untyped(files, 'src/publisher.ts', [...STATE_RULES]);
    expect(result).toEqual(typed(files, 'src/publisher.ts', [...STATE_RULES]));
    expect(result).toEqual([]);
  });

  it('the same class whose timer flushes a batch instead keeps its counter finding', () => {
    const files = publisher('flush');
    const result = untyped(files, 'src/publisher.ts', [...STATE_RULES]);
    expect(result).toEqual(typed(files, 'src/publisher.ts', [...STATE_RULES]));
    expect(result).toEqual([
      '5:11 no-in-memory-counter: `attempts` counts in this process; it is changed by POST /events (src/server.ts:6). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ]);
  });
});
