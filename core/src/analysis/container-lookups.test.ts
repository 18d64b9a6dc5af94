import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Services handed out by a dependency-injection container: `const service = Container.get(ScriptService)`
// in an Express route, as typedi services are used (round 36 of test/real-world, a cron panel whose
// routes call every service so), `container.resolve(MailService)` (tsyringe) and `app.get(UsersService)`
// (Nest). The container makes one instance of the class it is handed; the call's members are that
// class's. The typed program has no typedi types here (nor do the corpus checkouts): the checker gives
// `any`, and the syntax says what the lookup returns. Look-alikes: a lookup by a string token, a
// registry that is no container, and a method of the service no route calls.

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write'];

const files = {
  'package.json': '{ "name": "panel", "dependencies": { "express": "4", "typedi": "0.10", "tsyringe": "4" } }',
  'services/script.ts': `import { Service } from 'typedi';
import { writeFile } from 'fs/promises';

@Service()
export default class ScriptService {
  async save(file: string, content: string) {
    await writeFile('/data/scripts/' + file, content);
  }

  async backup(file: string) {
    await writeFile('/data/backups/' + file, '');
  }
}
`,
  'services/proxy.ts': `import { injectable } from 'tsyringe';
import fs from 'fs';

@injectable()
export class ProxyService {
  async update(proxy: string) {
    await fs.promises.writeFile('/data/proxy.sh', 'export http_proxy=' + proxy);
  }
}
`,
  'services/audit.ts': `import fs from 'fs';

export class AuditService {
  async record(line: string) {
    await fs.promises.appendFile('/data/audit.log', line);
  }
}
`,
  'api/script.ts': `import { Router } from 'express';
import { Container } from 'typedi';
import { container } from 'tsyringe';
import ScriptService from '../services/script';
import { ProxyService } from '../services/proxy';
import { AuditService } from '../services/audit';

const registry = new Map<unknown, { record(line: string): Promise<void> }>();

export default (route: Router) => {
  route.put('/scripts', async (req, res) => {
    const scriptService = Container.get(ScriptService);
    await scriptService.save(req.body.filename, req.body.content);
    res.send({ code: 200 });
  });

  route.put('/proxy', async (req, res) => {
    await container.resolve(ProxyService).update(req.body.proxy);
    const logger = Container.get('logger') as { info(message: string): void };
    logger.info('proxy saved');
    await registry.get(AuditService)?.record('proxy');
    res.send({ code: 200 });
  });
};
`,
  'app.ts': `import express from 'express';
import scripts from './api/script';

const app = express();
const router = express.Router();
scripts(router);
app.use('/api', router);
app.listen(5700);
`,
};

describe('a service a DI container hands out', () => {
  const script = [
    "7:11 no-local-disk-write: `writeFile` writes to this instance's local disk on PUT /scripts (api/script.ts:11). Other instances will not find the file, and it is lost when this instance is replaced.",
  ];
  const proxy = [
    "7:11 no-local-disk-write: `fs.promises.writeFile` writes to this instance's local disk on PUT /proxy (api/script.ts:17). Other instances will not find the file, and it is lost when this instance is replaced.",
  ];

  it('reaches the methods of the class Container.get is handed (typedi), and not the methods no route calls', () => {
    expect(untyped(files, 'services/script.ts', RULES)).toEqual(script);
    expect(typed(files, 'services/script.ts', RULES)).toEqual(script);
  });

  it("reaches the class container.resolve is handed (tsyringe), called on the lookup's result directly", () => {
    expect(untyped(files, 'services/proxy.ts', RULES)).toEqual(proxy);
    expect(typed(files, 'services/proxy.ts', RULES)).toEqual(proxy);
  });

  it('reads no lookup into a Map keyed by a class, nor one by a string token', () => {
    expect(untyped(files, 'services/audit.ts', RULES)).toEqual([]);
    expect(typed(files, 'services/audit.ts', RULES)).toEqual([]);
  });
});
