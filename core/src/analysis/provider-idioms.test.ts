import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Idiom classes read in a NestJS auction service and an Express token-transfer server (round 14 of
// test/real-world), written here in other shapes: each hazard, and the look-alikes that stay quiet.

afterAll(removeAnalysedProjects);

describe('locks made per key on first use', () => {
  const registry = `import { Injectable } from '@nestjs/common';
import { Mutex } from 'async-mutex';

@Injectable()
export class OrderLocks {
  private readonly locks = new Map<string, Mutex>();

  for(orderId: string): Mutex {
    let lock = this.locks.get(orderId);
    if (!lock) {
      lock = new Mutex();
      this.locks.set(orderId, lock);
    }
    return lock;
  }
}
`;
  const hazard = {
    'locks.ts': registry,
    'orders.controller.ts': `import { Controller, Param, Post } from '@nestjs/common';
import { OrderLocks } from './locks';
import { Payments } from './payments';

@Controller('orders')
export class OrdersController {
  constructor(private readonly locks: OrderLocks, private readonly payments: Payments) {}

  @Post(':id/pay')
  async pay(@Param('id') id: string) {
    return this.locks.for(id).runExclusive(async () => {
      await this.payments.charge(id);
    });
  }
}
`,
  };
  const finding =
    '6:20 no-in-process-lock: `locks` guards work only within this process; it is taken by POST /orders/:id/pay (OrdersController.pay, orders.controller.ts:9). A request on another instance does not see it and runs the same work at the same time.';

  it('reports the registry where it is declared, typed and untyped', () => {
    expect(typed(hazard, 'locks.ts')).toEqual([finding]);
    expect(untyped(hazard, 'locks.ts')).toEqual([finding]);
  });

  it('stays quiet when the work under each lock only opens this process\'s own connection', () => {
    const local = {
      'locks.ts': registry,
      'tenants.controller.ts': `import { Controller, Param, Post } from '@nestjs/common';
import { OrderLocks } from './locks';
import { Pools } from './pools';

@Controller('tenants')
export class TenantsController {
  constructor(private readonly locks: OrderLocks, private readonly pools: Pools) {}

  @Post(':id/warm')
  async warm(@Param('id') id: string) {
    await this.locks.for(id).runExclusive(async () => {
      await this.pools.connect(id);
    });
  }
}
`,
    };
    expect(typed(local, 'locks.ts')).toEqual([]);
    expect(untyped(local, 'locks.ts')).toEqual([]);
  });

  it('stays quiet when the locks are made once at start-up', () => {
    const startup = {
      'locks.ts': `import { Injectable } from '@nestjs/common';
import { Mutex } from 'async-mutex';

@Injectable()
export class QueueLocks {
  private readonly locks = new Map<string, Mutex>();

  constructor() {
    for (const queue of ['mail', 'exports']) this.locks.set(queue, new Mutex());
  }

  get(queue: string): Mutex | undefined {
    return this.locks.get(queue);
  }
}
`,
      'queues.controller.ts': `import { Controller, Param, Post } from '@nestjs/common';
import { QueueLocks } from './locks';

@Controller('queues')
export class QueuesController {
  constructor(private readonly locks: QueueLocks) {}

  @Post(':name/peek')
  peek(@Param('name') name: string) {
    return this.locks.get(name)?.isLocked() ?? false;
  }
}
`,
    };
    expect(typed(startup, 'locks.ts')).toEqual([]);
    expect(untyped(startup, 'locks.ts')).toEqual([]);
  });
});

describe('a lock library kept in one module and taken in another', () => {
  const lockModule = `const AsyncLock = require('async-lock');\n\nconst locks = new AsyncLock();\n\nmodule.exports = { locks };\n`;
  it('is reported with the routes of the other module, untyped as typed', () => {
    const files = {
      'lib/locks.js': lockModule,
      'routes/withdrawals.js': `const express = require('express');
const { locks } = require('../lib/locks');
const { Withdrawal } = require('../models');

const router = express.Router();

router.post('/withdrawals', (req, res, next) => {
  locks
    .acquire(String(req.user.id), () => Withdrawal.create({ userId: req.user.id, amount: req.body.amount }))
    .then((withdrawal) => res.status(201).json(withdrawal), next);
});

module.exports = router;
`,
      'app.js': `const express = require('express');\n\nconst app = express();\napp.use(require('./routes/withdrawals'));\napp.listen(3000);\n`,
    };
    const finding =
      '3:15 no-in-process-lock: async-lock `locks` excludes only callers in this process; it is used by POST /withdrawals (routes/withdrawals.js:7). A request on another instance runs the guarded work at the same time.';
    expect(untyped(files, 'lib/locks.js')).toEqual([finding]);
    expect(typed(files, 'lib/locks.js')).toEqual([finding]);
  });

  it('stays quiet when only start-up takes it', () => {
    const files = {
      'lib/locks.js': lockModule,
      'app.js': `const express = require('express');
const { locks } = require('./lib/locks');
const { migrate } = require('./migrate');

const app = express();
app.get('/health', (req, res) => res.send('ok'));
locks.acquire('migrate', () => migrate()).then(() => app.listen(3000));
`,
    };
    expect(untyped(files, 'lib/locks.js')).toEqual([]);
    expect(typed(files, 'lib/locks.js')).toEqual([]);
  });
});

describe('an rxjs Subject of an injected service', () => {
  const service = (emitter: string) => `import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';

@Injectable()
export class PricesService {
  readonly changes: Subject<{ sku: string; price: number }>;

  constructor() {
    this.changes = new Subject();
  }
${emitter}}
`;
  const gateway = `import { OnGatewayConnection, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { PricesService } from './prices.service';

@WebSocketGateway({ namespace: 'prices' })
export class PricesGateway implements OnGatewayConnection {
  constructor(private readonly prices: PricesService) {}

  handleConnection(client: Socket) {
    this.prices.changes.subscribe((change) => client.emit('price', change));
  }
}
`;

  it('is reported when a request publishes and connections subscribe', () => {
    const files = {
      'prices.service.ts': service(''),
      'prices.gateway.ts': gateway,
      'prices.controller.ts': `import { Body, Controller, Put } from '@nestjs/common';
import { PricesService } from './prices.service';

@Controller('prices')
export class PricesController {
  constructor(private readonly prices: PricesService) {}

  @Put()
  set(@Body() body: { sku: string; price: number }) {
    this.prices.changes.next(body);
  }
}
`,
    };
    const finding =
      '6:12 no-in-memory-pubsub: `changes` is an in-process event emitter: requests waiting on WebSocket connection (PricesGateway.handleConnection, prices.gateway.ts:9) only hear what PUT /prices (PricesController.set, prices.controller.ts:8) emits on this same instance. Behind a load balancer that request usually reaches another instance, and the waiting client never hears it.';
    expect(typed(files, 'prices.service.ts')).toEqual([finding]);
    expect(untyped(files, 'prices.service.ts')).toEqual([finding]);
  });

  it('stays quiet when only a timer of each instance publishes', () => {
    const files = {
      'prices.service.ts': service(`
  tick() {
    this.changes.next({ sku: 'index', price: Math.random() });
  }
`),
      'prices.gateway.ts': gateway,
      'main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { PricesService } from './prices.service';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  const prices = app.get(PricesService);
  setInterval(() => prices.tick(), 1000);
  await app.listen(3000);
}
void bootstrap();
`,
    };
    expect(typed(files, 'prices.service.ts')).toEqual([]);
    expect(untyped(files, 'prices.service.ts')).toEqual([]);
  });
});

describe("an @OnEvent listener that forwards a request's event to an SSE stream", () => {
  const service = `import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Subject } from 'rxjs';

@Injectable()
export class AlertsService {
  private readonly alerts = new Subject<{ userId: number; text: string }>();

  @OnEvent('alert')
  forward(alert: { userId: number; text: string }) {
    this.alerts.next(alert);
  }

  feed() {
    return this.alerts.asObservable();
  }
}
`;
  const stream = `import { Controller, Sse } from '@nestjs/common';
import { map } from 'rxjs';
import { AlertsService } from './alerts.service';

@Controller('alerts')
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Sse()
  stream() {
    return this.alerts.feed().pipe(map((alert) => ({ data: alert })));
  }
}
`;

  it('is reported when a request emits the event', () => {
    const files = {
      'alerts.service.ts': service,
      'alerts.controller.ts': stream,
      'shipments.controller.ts': `import { Controller, Param, Post } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';

@Controller('shipments')
export class ShipmentsController {
  constructor(private readonly events: EventEmitter2) {}

  @Post(':id/delivered')
  delivered(@Param('id') id: string) {
    this.events.emit('alert', { userId: 7, text: 'Shipment ' + id + ' delivered' });
  }
}
`,
    };
    const finding =
      '7:20 no-in-memory-pubsub: `alerts` is an in-process event emitter: requests waiting on GET /alerts (AlertsController.stream, alerts.controller.ts:9) only hear what POST /shipments/:id/delivered (ShipmentsController.delivered, shipments.controller.ts:8) emits on this same instance. Behind a load balancer that request usually reaches another instance, and the waiting client never hears it.';
    expect(typed(files, 'alerts.service.ts')).toEqual([finding]);
    expect(untyped(files, 'alerts.service.ts')).toEqual([finding]);
  });

  it('stays quiet when only a scheduled job emits the event', () => {
    const files = {
      'alerts.service.ts': service,
      'alerts.controller.ts': stream,
      'digest.job.ts': `import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Interval } from '@nestjs/schedule';

@Injectable()
export class DigestJob {
  constructor(private readonly events: EventEmitter2) {}

  @Interval(60_000)
  remind() {
    this.events.emit('alert', { userId: 0, text: 'Still there?' });
  }
}
`,
    };
    expect(typed(files, 'alerts.service.ts')).toEqual([]);
    expect(untyped(files, 'alerts.service.ts')).toEqual([]);
  });
});

describe('a bus a service inherits from a base class in another module', () => {
  const files = {
    'observable.service.ts': `import { Injectable } from '@nestjs/common';
import { Subject } from 'rxjs';

@Injectable()
export default class ObservableService<T> {
  readonly updates: Subject<T>;

  constructor() {
    this.updates = new Subject<T>();
  }

  publish(value: T) {
    this.updates.next(value);
  }
}
`,
    'votes.service.ts': `import { Injectable } from '@nestjs/common';
import ObservableService from './observable.service';

@Injectable()
export class VotesService extends ObservableService<{ pollId: string; option: number }> {}
`,
    'votes.gateway.ts': `import { MessageBody, OnGatewayConnection, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { VotesService } from './votes.service';

@WebSocketGateway()
export class VotesGateway implements OnGatewayConnection {
  constructor(private readonly votes: VotesService) {}

  handleConnection(client: Socket) {
    this.votes.updates.subscribe((vote) => client.emit('vote', vote));
  }

  @SubscribeMessage('vote')
  vote(@MessageBody() vote: { pollId: string; option: number }) {
    this.votes.publish(vote);
  }
}
`,
  };

  it('is reported at the base class field, typed and untyped', () => {
    const finding =
      '6:12 no-in-memory-pubsub: `updates` is an in-process event emitter: requests waiting on WebSocket connection (VotesGateway.handleConnection, votes.gateway.ts:9) only hear what WebSocket message "vote" (VotesGateway.vote, votes.gateway.ts:13) emits on this same instance. Behind a load balancer that request usually reaches another instance, and the waiting client never hears it.';
    expect(typed(files, 'observable.service.ts')).toEqual([finding]);
    expect(untyped(files, 'observable.service.ts')).toEqual([finding]);
  });
});
