import { describe, expect, it } from 'vitest';
import type { TextEdit } from '../types';
import { applyEdits } from './invariants';
import { withoutImportsLeftUnused } from './unused-imports';

/** The plan `replace` (one edit of `from` to `to`) after the pass, applied to `text`: the file as the fix leaves it, and the removals it declares. */
function fixed(fileName: string, text: string, from: string, to: string, extra: TextEdit[] = []): { text: string; removed: string[] } {
  const start = text.indexOf(from);
  const plan = withoutImportsLeftUnused({ edits: [{ fileName, start, end: start + from.length, newText: to }, ...extra] }, (name) => (name === fileName ? text : undefined));
  return { text: applyEdits(text, plan.edits), removed: (plan.removedStatements ?? []).map((span) => `${text.slice(span.start, span.end)}: ${span.reason}`) };
}

describe('withoutImportsLeftUnused: imports a fix leaves unused go with it', () => {
  it('TypeScript: a whole import goes with its line; one name of a list goes with its comma', () => {
    const text = `import express from 'express';\nimport { createWriteStream, existsSync } from 'node:fs';\nimport { pipeline } from 'node:stream/promises';\nexport const app = express();\napp.put('/f/:n', async (req, res) => {\n  if (existsSync('x')) return res.end();\n  await pipeline(req, createWriteStream('uploads/' + req.params.n));\n  res.end();\n});\n`;
    const result = fixed('/p/app.ts', text, "await pipeline(req, createWriteStream('uploads/' + req.params.n));", "await store.upload('uploads/' + req.params.n, req);");
    expect(result.text).toBe(`import express from 'express';\nimport { existsSync } from 'node:fs';\nexport const app = express();\napp.put('/f/:n', async (req, res) => {\n  if (existsSync('x')) return res.end();\n  await store.upload('uploads/' + req.params.n, req);\n  res.end();\n});\n`);
    expect(result.removed).toEqual(["import { pipeline } from 'node:stream/promises';: `pipeline` has no use left after the fix"]);
  });

  it('a default name dropped from `import a, { b }` leaves `import { b }`; a namespace import goes whole', () => {
    const text = `import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';\nimport * as fs from 'node:fs';\nconst options: FastifyStaticOptions = { root: 'public' };\napp.register(fastifyStatic, options);\nfs.writeFileSync('a', 'b');\n`;
    expect(fixed('/p/app.ts', text, "app.register(fastifyStatic, options);\nfs.writeFileSync('a', 'b');", 'app.register(objectStatic, options);').text).toBe(
      // A list with a type-only element is left as it is.
      `import fastifyStatic, { type FastifyStaticOptions } from '@fastify/static';\nconst options: FastifyStaticOptions = { root: 'public' };\napp.register(objectStatic, options);\n`,
    );
    const plain = `import fastifyStatic, { fastifyStaticOptions } from '@fastify/static';\napp.register(fastifyStatic, fastifyStaticOptions);\n`;
    expect(fixed('/p/app.ts', plain, 'app.register(fastifyStatic,', 'app.register(objectStatic,').text).toBe(`import { fastifyStaticOptions } from '@fastify/static';\napp.register(objectStatic, fastifyStaticOptions);\n`);
  });

  it('CommonJS: a package require goes; a project module is still required, for what it does when it loads', () => {
    const text = `const express = require('express');\nconst fs = require('fs');\nconst mailer = require('./mailer');\nconst { a, b, c } = require('./letters');\nconst router = express.Router();\nrouter.post('/x', (req, res) => {\n  fs.writeFileSync('x', a + b + c);\n  mailer.send(req.body);\n  res.end();\n});\n`;
    const result = fixed('/p/routes.js', text, "  fs.writeFileSync('x', a + b + c);\n  mailer.send(req.body);\n", '  enqueue(a);\n');
    expect(result.text).toBe(`const express = require('express');\nrequire('./mailer');\nconst { a } = require('./letters');\nconst router = express.Router();\nrouter.post('/x', (req, res) => {\n  enqueue(a);\n  res.end();\n});\n`);
    expect(result.removed).toEqual(["const fs = require('fs');: `fs` has no use left after the fix", "const mailer = require('./mailer');: `mailer` has no use left after the fix, and the module is still loaded"]);
  });

  it('leaves what the fix did not make unused: a name unused before, a name still used (also as a type or a shorthand), an import the plan edits', () => {
    const text = `import { readFileSync, writeFileSync } from 'node:fs';\nimport type { Stats } from 'node:fs';\nimport { join } from 'node:path';\nimport { cache } from './cache';\nlet last: Stats | undefined;\nexport const paths = { join };\nwriteFileSync('a', cache.get('a'));\n`;
    // readFileSync was unused before the fix; join is used in a shorthand; the plan edits the cache import itself.
    const cacheImport = "import { cache } from './cache';";
    const start = text.indexOf(cacheImport);
    const result = fixed('/p/a.ts', text, "writeFileSync('a', cache.get('a'));", "await store.put('a', await cache.get('a'));", [{ fileName: '/p/a.ts', start, end: start + cacheImport.length, newText: "import { cache } from './scaling/cache';" }]);
    expect(result.text).toBe(`import { readFileSync } from 'node:fs';\nimport type { Stats } from 'node:fs';\nimport { join } from 'node:path';\nimport { cache } from './scaling/cache';\nlet last: Stats | undefined;\nexport const paths = { join };\nawait store.put('a', await cache.get('a'));\n`);
  });

  it('a member or a key with the name is no use; a local of the same name keeps the import (it may be the one used)', () => {
    const text = `import { send } from './mail';\nconst api = { send: 1 };\napi.send;\nsend('x');\n`;
    expect(fixed('/p/a.ts', text, "send('x');", "enqueue('send', ['x']);").text).toBe(`const api = { send: 1 };\napi.send;\nenqueue('send', ['x']);\n`);
    const shadowed = `import { send } from './mail';\nfunction f(send: () => void) { send(); }\nsend('x');\n`;
    expect(fixed('/p/a.ts', shadowed, "send('x');", "enqueue('send', ['x']);").text).toBe(`import { send } from './mail';\nfunction f(send: () => void) { send(); }\nenqueue('send', ['x']);\n`);
  });

  it('beside a new import inserted where the last import ends, the removed one takes the line break before it', () => {
    const text = `import express from 'express';\nimport fs from 'node:fs';\nfs.writeFileSync('a', 'b');\n`;
    const end = text.indexOf('\nfs.writeFileSync');
    const result = fixed('/p/a.ts', text, "fs.writeFileSync('a', 'b');", "await store.put('a', 'b');", [{ fileName: '/p/a.ts', start: end, end, newText: "\nimport { store } from './scaling/object-store';" }]);
    expect(result.text).toBe(`import express from 'express';\nimport { store } from './scaling/object-store';\nawait store.put('a', 'b');\n`);
  });
});
