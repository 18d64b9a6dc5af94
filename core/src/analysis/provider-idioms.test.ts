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

describe('a field declared without a value and created in the constructor', () => {
  it('is the state its writes make it, reported at the declaration', () => {
    const files = {
      'cart.service.ts': `import { Injectable } from '@nestjs/common';

@Injectable()
export class CartService {
  private readonly carts: Map<string, string[]>;

  constructor() {
    this.carts = new Map();
  }

  add(userId: string, sku: string) {
    const cart = this.carts.get(userId) ?? [];
    cart.push(sku);
    this.carts.set(userId, cart);
  }
}
`,
      'cart.controller.ts': `import { Body, Controller, Post, Req } from '@nestjs/common';
import { CartService } from './cart.service';

@Controller('cart')
export class CartController {
  constructor(private readonly carts: CartService) {}

  @Post()
  add(@Req() req: { user: { id: string } }, @Body() body: { sku: string }) {
    this.carts.add(req.user.id, body.sku);
  }
}
`,
    };
    const finding =
      '5:20 no-in-memory-session: `carts` holds per-user state in this process; it is written by POST /cart (CartController.add, cart.controller.ts:8). A second instance will not see it.';
    expect(typed(files, 'cart.service.ts')).toEqual([finding]);
    expect(untyped(files, 'cart.service.ts')).toEqual([finding]);
  });

  it('stays quiet when the constructor makes a client', () => {
    const files = {
      'cart.service.ts': `import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';

@Injectable()
export class CartService {
  private readonly redis: Redis;

  constructor() {
    this.redis = new Redis(process.env.REDIS_URL!);
  }

  async add(userId: string, sku: string) {
    await this.redis.sadd('cart:' + userId, sku);
  }
}
`,
      'cart.controller.ts': `import { Body, Controller, Post, Req } from '@nestjs/common';
import { CartService } from './cart.service';

@Controller('cart')
export class CartController {
  constructor(private readonly carts: CartService) {}

  @Post()
  add(@Req() req: { user: { id: string } }, @Body() body: { sku: string }) {
    return this.carts.add(req.user.id, body.sku);
  }
}
`,
    };
    expect(typed(files, 'cart.service.ts')).toEqual([]);
    expect(untyped(files, 'cart.service.ts')).toEqual([]);
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
