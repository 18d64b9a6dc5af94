import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A registry kept in a field of a service made once at module scope, written by a controller that was
// handed the service through its constructor (`this.monitor = monitor`, then
// `this.monitor.instances[name] = instance`; evolution-api's account registry). In JavaScript the
// field is declared only by the constructor's `this.instances = {}`, and the controller's field by
// `this.monitor = monitor`: what the one `new InstanceController(monitor)` hands it is the singleton.

afterAll(removeAnalysedProjects);

const monitor = `export class MonitorService {
  constructor(label) {
    this.label = label;
    this.instances = {};
  }
  info(name) {
    return this.instances[name];
  }
}
`;

const controller = `export class InstanceController {
  constructor(monitor, config, cache) {
    this.monitor = monitor;
    this.config = config;
    this.cache = cache;
  }
  create(name, socket) {
    this.monitor.instances[name] = { name, socket, state: 'connecting' };
    return { name, region: this.config.region };
  }
  remember(name, socket) {
    this.cache.client.set(name, JSON.stringify(socket));
  }
}
`;

const app = (imports: string, controller: string) => `import express from 'express';
${imports}
const app = express();
app.post('/instance/:name', (req, res) => {
  res.status(201).json(${controller}.create(req.params.name, req.body));
});
app.post('/instance/:name/remember', (req, res) => {
  ${controller}.remember(req.params.name, req.body);
  res.sendStatus(204);
});
app.listen(3000);
`;

const wiredOnce = {
  'src/monitor.service.js': monitor,
  'src/instance.controller.js': controller,
  'src/config.js': `export const config = { region: process.env.REGION ?? 'eu' };\n`,
  'src/cache.service.js': `import { createClient } from 'redis';
export class CacheService {
  constructor() {
    this.client = createClient({ url: process.env.REDIS_URL });
  }
}
`,
  'src/server.module.js': `import { MonitorService } from './monitor.service';
import { InstanceController } from './instance.controller';
import { CacheService } from './cache.service';
import { config } from './config';
export const waMonitor = new MonitorService('main');
export const instanceController = new InstanceController(waMonitor, config, new CacheService());
`,
  'src/app.js': app(`import { instanceController } from './server.module';`, 'instanceController'),
};

describe("a registry of a module's singleton written through the field a controller's constructor was handed", () => {
  it('untyped: the create route writes the monitor registry', () => {
    expect(untypedFindings(wiredOnce, 'src/monitor.service.js')).toEqual([
      '4:10 no-in-memory-session: `instances` holds application data in this process; it is written by POST /instance/:name (src/app.js:4). A second instance will not see it.',
    ]);
  });

  it('typed: the same services written in TypeScript, the fields declared', () => {
    const typed = {
      'src/monitor.service.ts': `export class MonitorService {
  public readonly instances: Record<string, any> = {};
  constructor(private readonly label: string) {}
}
`,
      'src/instance.controller.ts': `import type { MonitorService } from './monitor.service';
export class InstanceController {
  private readonly monitor: MonitorService;
  constructor(monitor: MonitorService) {
    this.monitor = monitor;
  }
  create(name: string, socket: unknown): void {
    this.monitor.instances[name] = { name, socket, state: 'connecting' };
  }
}
`,
      'src/server.module.ts': `import { MonitorService } from './monitor.service';
import { InstanceController } from './instance.controller';
export const waMonitor = new MonitorService('main');
export const instanceController = new InstanceController(waMonitor);
`,
      'src/app.ts': `import express from 'express';
import { instanceController } from './server.module';
const app = express();
app.post('/instance/:name', (req, res) => {
  instanceController.create(req.params.name, req.body);
  res.sendStatus(201);
});
app.listen(3000);
`,
    };
    expect(typedFindings(typed, 'src/monitor.service.ts')).toEqual([
      '2:19 no-in-memory-session: `instances` holds application data in this process; it is written by POST /instance/:name (src/app.ts:4). A second instance will not see it.',
    ]);
  });

  it('untyped: the configuration handed beside it, only read, and the Redis client of the cache service beside it stay quiet', () => {
    expect(untypedFindings(wiredOnce, 'src/config.js')).toEqual([]);
    expect(untypedFindings(wiredOnce, 'src/cache.service.js')).toEqual([]);
    expect(untypedFindings(wiredOnce, 'src/instance.controller.js')).toEqual([]);
  });

  it('untyped: a monitor made per request, handed to a controller made per request, keeps nothing between requests', () => {
    const perRequest = {
      ...wiredOnce,
      'src/app.js': app(
        `import { MonitorService } from './monitor.service';
import { InstanceController } from './instance.controller';
import { CacheService } from './cache.service';
import { config } from './config';`,
        'new InstanceController(new MonitorService(req.params.name), config, new CacheService())',
      ),
    };
    expect(untypedFindings(perRequest, 'src/monitor.service.js')).toEqual([]);
  });
});
