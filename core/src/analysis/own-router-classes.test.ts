import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A service that wrote its own router: a class whose verb methods keep each handler in a table
// (`this.routes_.PUT[path] = { handler }`), one instance per module of routes, and a middleware of
// the app that looks the route up and runs it. Its paths are keys of its own (`api/items/:id`, no
// leading slash) and its handlers take what the service chose (`(path, ctx)`), so neither says
// "route" the way Express's do.

afterAll(removeAnalysedProjects);

const router = `export default class Router {
  private routes_: Record<string, Record<string, { handler: Function }>> = {};
  public get(path: string, handler: Function) {
    if (!this.routes_.GET) this.routes_.GET = {};
    this.routes_.GET[path] = { handler };
  }
  public put(path: string, handler: Function) {
    if (!this.routes_.PUT) this.routes_.PUT = {};
    this.routes_.PUT[path] = { handler };
  }
  public findEndPoint(method: string, path: string) {
    return this.routes_[method]?.[path];
  }
}
`;

const items = `import { writeFile } from 'fs/promises';
import Router from '../utils/Router';

const router = new Router();

router.put('api/items/:id/content', async (path: { id: string }, ctx: any) => {
  await writeFile('data/items/' + path.id, ctx.request.body);
  return { ok: true };
});

export default router;
`;

const ITEM_WRITE =
  "7:9 no-local-disk-write: `writeFile` writes to this instance's local disk on PUT api/items/:id/content (routes/items.ts:6). Other instances will not find the file, and it is lost when this instance is replaced.";

describe('a router class the service wrote itself', () => {
  const files = { 'utils/Router.ts': router, 'routes/items.ts': items };

  it('its verb calls register routes, typed and untyped', () => {
    expect(typedFindings(files, 'routes/items.ts', ['no-local-disk-write'])).toEqual([ITEM_WRITE]);
    expect(untypedFindings(files, 'routes/items.ts', ['no-local-disk-write'])).toEqual([ITEM_WRITE]);
  });

  it('in plain JavaScript, a router keeping its routes in a list', () => {
    const js = {
      'lib/router.js': `class Router {
  constructor() { this.routes = []; }
  get(path, handler) { this.routes.push({ method: 'GET', path, handler }); }
  post(path, handler) { this.routes.push({ method: 'POST', path, handler }); }
}
module.exports = Router;
`,
      'routes/upload.js': `const fs = require('fs');
const Router = require('../lib/router');
const router = new Router();
router.post('upload', function (params, ctx) {
  fs.writeFileSync('uploads/' + params.name, ctx.body);
});
module.exports = router;
`,
    };
    const expected = [
      "5:3 no-local-disk-write: `fs.writeFileSync` writes to this instance's local disk on POST upload (routes/upload.js:4). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untypedFindings(js, 'routes/upload.js', ['no-local-disk-write'])).toEqual(expected);
    expect(typedFindings(js, 'routes/upload.js', ['no-local-disk-write'])).toEqual(expected);
  });

  it('quiet: a class with one verb method that keeps a callback (a cache with a loader) is no router', () => {
    const files = {
      'utils/Cache.ts': `export default class Cache {
  private loaders: Record<string, Function> = {};
  public get(key: string, loader: Function) {
    this.loaders[key] = loader;
    return loader();
  }
  public delete(key: string) {
    delete this.loaders[key];
  }
}
`,
      'warm.ts': `import { writeFile } from 'fs/promises';
import Cache from './utils/Cache';

const router = new Cache();

router.get('report', async (path: string, ctx: any) => {
  await writeFile('data/report.json', JSON.stringify(ctx));
});
`,
    };
    expect(typedFindings(files, 'warm.ts', ['no-local-disk-write'])).toEqual([]);
    expect(untypedFindings(files, 'warm.ts', ['no-local-disk-write'])).toEqual([]);
  });

  it('quiet: an HTTP client class whose verb methods send the request and call back (keeping nothing)', () => {
    const files = {
      'lib/api.ts': `import https from 'https';
export default class Api {
  public get(path: string, done: Function) {
    https.get('https://example.com/' + path, (res) => done(res));
  }
  public put(path: string, done: Function) {
    https.request('https://example.com/' + path, { method: 'PUT' }, (res) => done(res)).end();
  }
}
`,
      'sync.ts': `import { writeFileSync } from 'fs';
import Api from './lib/api';

const router = new Api();

router.get('settings', (path: string, ctx: any) => {
  writeFileSync('cache/settings.json', JSON.stringify(ctx));
});
`,
    };
    expect(typedFindings(files, 'sync.ts', ['no-local-disk-write'])).toEqual([]);
    expect(untypedFindings(files, 'sync.ts', ['no-local-disk-write'])).toEqual([]);
  });
});
