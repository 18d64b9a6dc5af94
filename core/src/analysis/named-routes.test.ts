import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Routes registered with a name before the path (koa-router's `router.get('user', '/users/:id', show)`),
// or through a router's own prefixed verb methods (lin-mizar's `api.linPost('upload', '/', auth, handler)`,
// which the CMS template and its forks use for every route); and modules compiled by Babel that import
// with ES syntax but export with `module.exports = { … }`, which the checker reads as exporting nothing.

afterAll(removeAnalysedProjects);

const untyped = untypedFindings;
const typed = typedFindings;

const SHARP_ON_CAPTCHA =
  '7:21 no-blocking-request-work: `sharp` holds the request open on POST /cms/user/captcha (users.js:6) while image processing with sharp runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).';

describe('routes with a name before the path', () => {
  const files = {
    'users.js': `import { LinRouter } from 'lin-mizar';
import sharp from 'sharp';

const users = new LinRouter({ prefix: '/cms/user' });

users.linPost('userCaptcha', '/captcha', async (ctx) => {
  const png = await sharp(Buffer.from(ctx.request.body.svg)).png().toBuffer();
  ctx.body = png.toString('base64');
});

export { users };
`,
  };

  it('a prefixed verb method (`linPost(name, path, handler)`) registers a route, typed and untyped', () => {
    expect(untyped(files, 'users.js')).toEqual([SHARP_ON_CAPTCHA]);
    expect(typed(files, 'users.js')).toEqual([SHARP_ON_CAPTCHA]);
  });

  it('koa-router’s named route (`router.post(name, path, handler)`)', () => {
    const named = {
      'users.js': `const Router = require('koa-router');
const sharp = require('sharp');

const router = new Router();

router.post('captcha', '/captcha', async (ctx) => {
  const png = await sharp(Buffer.from(ctx.request.body.svg)).png().toBuffer();
  ctx.body = png.toString('base64');
});

module.exports = router;
`,
    };
    expect(untyped(named, 'users.js')).toEqual([SHARP_ON_CAPTCHA.replace('/cms/user/captcha', '/captcha')]);
  });

  it('quiet: a client helper with a prefixed verb, a path and a callback that is not a handler', () => {
    const client = {
      'api.js': `const sharp = require('sharp');
const http = require('./http');

http.ajaxPost('/api/thumbnails', { size: 64 }, async (result) => {
  await sharp(result.buffer).resize(64).toBuffer();
});
cache.fastGet('thumb', '/thumbs', async (entry) => {
  await sharp(entry.buffer).resize(64).toBuffer();
});
`,
      'http.js': `exports.ajaxPost = (url, body, done) => fetch(url, { method: 'POST', body: JSON.stringify(body) }).then(done);
`,
    };
    expect(untyped(client, 'api.js')).toEqual([]);
  });

  it('quiet: a client wrapper’s prefixed verb on a receiver named like an app, with a callback that is not a handler', () => {
    const client = {
      'sync.js': `const fs = require('fs');
const api = require('./api-client');

api.safeGet('/users', (err, body) => {
  if (!err) fs.writeFileSync('users.json', body);
});
`,
      'api-client.js': `exports.safeGet = (url, done) => fetch(url).then((res) => res.text()).then((body) => done(null, body), done);
`,
    };
    expect(untyped(client, 'sync.js')).toEqual([]);
    expect(typed(client, 'sync.js')).toEqual([]);
  });
});

describe('a Babel-compiled module that imports with ES syntax and exports with `module.exports`', () => {
  const files = {
    'api/file.js': `import { LinRouter } from 'lin-mizar';
import { LocalUploader } from '../extension/uploader';

const file = new LinRouter({ prefix: '/cms/file' });

file.linPost('upload', '/', async (ctx) => {
  const files = await ctx.multipart();
  const uploader = new LocalUploader('assets');
  ctx.body = await uploader.upload(files);
});

export { file };
`,
    'extension/uploader.js': `import { Uploader } from 'lin-mizar';
import fs from 'fs';

class LocalUploader extends Uploader {
  async upload(files) {
    const saved = [];
    for (const file of files) {
      const { absolutePath } = this.getStorePath(file.filename);
      const target = fs.createWriteStream(absolutePath);
      await target.write(file.data);
      saved.push(absolutePath);
    }
    return saved;
  }
}

module.exports = { LocalUploader };
`,
  };
  const WRITE =
    "9:22 no-local-disk-write: `fs.createWriteStream` writes to this instance's local disk on POST /cms/file (api/file.js:6). Other instances will not find the file, and it is lost when this instance is replaced.";

  it('the checker finds no export; the class is still followed from the route, typed and untyped', () => {
    expect(typed(files, 'extension/uploader.js')).toEqual([WRITE]);
    expect(untyped(files, 'extension/uploader.js')).toEqual([WRITE]);
  });

  it('quiet: the same class written to disk only by a script that imports it', () => {
    const script = {
      'scripts/seed.js': `import { LocalUploader } from '../extension/uploader';

async function seed() {
  const uploader = new LocalUploader('assets');
  await uploader.upload([{ filename: 'logo.png', data: Buffer.alloc(0) }]);
}

seed();
`,
      'extension/uploader.js': files['extension/uploader.js'],
    };
    expect(typed(script, 'extension/uploader.js')).toEqual([]);
    expect(untyped(script, 'extension/uploader.js')).toEqual([]);
  });
});
