import { afterAll, describe, expect, it } from 'vitest';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, type AnalysedFile } from '../testing/project-findings';

// Services wired once at module scope, each handed the module's one emitter through its constructor
// (`new InstanceController(monitor, eventEmitter)`, `new MonitorService(eventEmitter)`): the controller's
// `this.eventEmitter.emit('remove.instance', …)` runs the listener the monitor registered on its own
// `this.eventEmitter` (evolution-api's delete route, whose clean-up of the session folder runs there).

afterAll(removeAnalysedProjects);

const files: Record<string, string> = {
  'src/event.config.ts': `import { EventEmitter } from 'node:events';
export const eventEmitter = new EventEmitter();
export const auditBus = new EventEmitter();
`,
  'src/monitor.service.ts': `import { rmSync } from 'node:fs';
import type { EventEmitter } from 'node:events';
export class MonitorService {
  constructor(private readonly eventEmitter: EventEmitter) {
    this.eventEmitter.on('remove.instance', (name: string) => {
      this.cleaningUp(name);
    });
  }
  cleaningUp(name: string): void {
    rmSync('instances/' + name, { recursive: true, force: true });
  }
}
`,
  'src/instance.controller.ts': `import type { EventEmitter } from 'node:events';
import type { MonitorService } from './monitor.service';
export class InstanceController {
  private readonly eventEmitter: EventEmitter;
  constructor(private readonly monitor: MonitorService, eventEmitter: EventEmitter) {
    this.eventEmitter = eventEmitter;
  }
  deleteInstance(name: string): { deleted: string } {
    this.eventEmitter.emit('remove.instance', name);
    return { deleted: name };
  }
}
`,
  // The same event on another emitter: the audit log's bus, which no monitor listens on.
  'src/audit.controller.ts': `import type { EventEmitter } from 'node:events';
export class AuditController {
  constructor(private readonly bus: EventEmitter) {}
  forget(name: string): void {
    this.bus.emit('remove.instance', name);
  }
}
`,
  'src/server.module.ts': `import { auditBus, eventEmitter } from './event.config';
import { MonitorService } from './monitor.service';
import { InstanceController } from './instance.controller';
import { AuditController } from './audit.controller';
export const waMonitor = new MonitorService(eventEmitter);
export const instanceController = new InstanceController(waMonitor, eventEmitter);
export const auditController = new AuditController(auditBus);
`,
  'src/app.ts': `import express from 'express';
import { auditController, instanceController } from './server.module';
const app = express();
app.delete('/instance/:name', (req, res) => {
  res.json(instanceController.deleteInstance(req.params.name));
});
app.post('/audit/forget/:name', (req, res) => {
  auditController.forget(req.params.name);
  res.sendStatus(204);
});
app.listen(3000);
`,
};

const lines = ({ sourceFile, findings }: AnalysedFile): string[] => findings.map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);

describe("an emit through a constructor-injected emitter runs the listeners on the emitter the module handed", () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: the delete route runs the monitor clean-up', (_mode, analyse) => {
    const monitor = analyse(files, 'src/monitor.service.ts');
    expect(lines(monitor)).toEqual(['no-blocking-request-work 10', 'no-local-disk-write 10']);
    expect(monitor.findings.every((finding) => finding.message.includes('DELETE /instance/:name'))).toBe(true);
    expect(monitor.findings.some((finding) => finding.message.includes('/audit'))).toBe(false);
  });

  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: the same event on another injected emitter reaches no clean-up', (_mode, analyse) => {
    const changed = { ...files, 'src/app.ts': files['src/app.ts'].replace(/app\.delete[\s\S]*?\}\);\n/, '') };
    expect(lines(analyse(changed, 'src/monitor.service.ts'))).toEqual([]);
  });

  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: a controller made per request with its own emitter reaches no listener of the module', (_mode, analyse) => {
    const perRequest = {
      ...files,
      'src/app.ts': `import express from 'express';
import { EventEmitter } from 'node:events';
import { waMonitor } from './server.module';
import { InstanceController } from './instance.controller';
const app = express();
app.delete('/instance/:name', (req, res) => {
  const controller = new InstanceController(waMonitor, new EventEmitter());
  res.json(controller.deleteInstance(req.params.name));
});
app.listen(3000);
`,
      'src/server.module.ts': `import { eventEmitter } from './event.config';
import { MonitorService } from './monitor.service';
export const waMonitor = new MonitorService(eventEmitter);
`,
    };
    expect(lines(analyse(perRequest, 'src/monitor.service.ts'))).toEqual([]);
  });
});
