import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A panel keeps its system configuration in a module variable: `let systemConfig = null`, loaded from
// its storage as the process starts, exported, and changed field by field by the settings route in
// another module, which then saves the whole variable back (`saveSystemConfig(systemConfig)`). Every
// instance loaded its own copy; only the one that served the route has the new settings: a cache of
// that stored document. Its members name settings (`loginCheckIp`, `operationLogRecordUser`), not what
// a user keeps. Look-alikes that stay quiet: the same fields changed by a route that never saves them
// (this process's own tuning), and a variable made in memory, never loaded from storage.

afterAll(removeAnalysedProjects);

const setting = (load: string) => `import Storage from './storage';

class SystemConfig {
  httpPort = 23333;
  loginCheckIp = true;
  operationLogRecordUser = true;
}

let systemConfig: SystemConfig | null = null;

export function initSystemConfig(): void {
  systemConfig = ${load};
  if (!systemConfig) {
    systemConfig = new SystemConfig();
    Storage.store('SystemConfig', 'config', systemConfig);
  }
}

export function saveSystemConfig(config: SystemConfig): void {
  Storage.store('SystemConfig', 'config', config);
}

export { systemConfig };
`;

const storage = `import fs from 'node:fs';

export default class Storage {
  static load(name: string, type: new () => object, key: string): any {
    const file = 'data/' + name + '/' + key + '.json';
    if (!fs.existsSync(file)) return null;
    return Object.assign(new type(), JSON.parse(fs.readFileSync(file, 'utf-8')));
  }

  static store(name: string, key: string, value: object): void {
    fs.writeFileSync('data/' + name + '/' + key + '.json', JSON.stringify(value));
  }
}
`;

const routes = (save: string) => `import Koa from 'koa';
import Router from '@koa/router';
import { initSystemConfig, saveSystemConfig, systemConfig } from './setting';

initSystemConfig();
const app = new Koa();
const router = new Router();
router.get('/setting', async (ctx) => {
  ctx.body = systemConfig;
});
router.put('/setting', async (ctx) => {
  const config = ctx.request.body as Record<string, unknown>;
  if (config && systemConfig) {
    if (config.httpPort != null) systemConfig.httpPort = Number(config.httpPort);
    if (config.loginCheckIp != null) systemConfig.loginCheckIp = Boolean(config.loginCheckIp);
    if (config.operationLogRecordUser != null) systemConfig.operationLogRecordUser = Boolean(config.operationLogRecordUser);
    ${save}
  }
  ctx.body = true;
});
app.use(router.routes());
app.listen(3000);
`;

const RULES = ['no-in-memory-session', 'no-process-local-cache', 'no-in-memory-counter', 'no-in-process-lock'] as const;
const LOADED = "Storage.load('SystemConfig', SystemConfig, 'config')";
const SAVED = 'saveSystemConfig(systemConfig);';
const CACHE = '9:5 no-process-local-cache';

const project = (load: string, save: string) => ({ 'setting.ts': setting(load), 'storage.ts': storage, 'routes.ts': routes(save) });
const places = (findings: string[]) => findings.map((finding) => finding.split(':').slice(0, 2).join(':'));

describe('a module variable loaded from storage, changed field by field by a route that saves it whole', () => {
  it('is a cache of the stored document, its user-named settings notwithstanding (typed)', () => {
    expect(places(typedFindings(project(LOADED, SAVED), 'setting.ts', [...RULES]))).toEqual([CACHE]);
  });

  it('is a cache of the stored document, its user-named settings notwithstanding (untyped)', () => {
    expect(places(untypedFindings(project(LOADED, SAVED), 'setting.ts', [...RULES]))).toEqual([CACHE]);
  });

  it('changed by a route that never saves it: quiet (typed)', () => {
    expect(typedFindings(project(LOADED, 'ctx.status = 202;'), 'setting.ts', [...RULES])).toEqual([]);
  });

  it('changed by a route that never saves it: quiet (untyped)', () => {
    expect(untypedFindings(project(LOADED, 'ctx.status = 202;'), 'setting.ts', [...RULES])).toEqual([]);
  });

  it('made in memory, never loaded from storage: quiet (typed)', () => {
    expect(typedFindings(project('new SystemConfig()', SAVED), 'setting.ts', [...RULES])).toEqual([]);
  });

  it('made in memory, never loaded from storage: quiet (untyped)', () => {
    expect(untypedFindings(project('new SystemConfig()', SAVED), 'setting.ts', [...RULES])).toEqual([]);
  });
});
