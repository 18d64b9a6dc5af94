import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, countFindings, movePlan, planFirst } from '../testing/fix-plans';

// Functions kept in a list and run over it (`this.afterStore = [buildPreview]` then
// `this.afterStore.map((step) => step(target))`): from the legacy apps corpus (commonjs-service).
// A fix follows the stored file into each function of the list, and a function of the list that
// becomes async is awaited where the list runs it.

const DOCS_JS = `const fs = require('fs');
const path = require('path');
const { pipeline } = require('stream');
const express = require('express');
function buildPreview(file) {
  const data = fs.readFileSync(file);
  return { bytes: data.length };
}
class Documents {
  constructor() {
    this.dir = path.join(__dirname, 'documents');
    this.afterStore = [buildPreview];
  }
  pathFor(name) {
    return path.join(this.dir, path.basename(name));
  }
  save(name, req, callback) {
    const tmp = path.join(__dirname, 'incoming', name);
    pipeline(req, fs.createWriteStream(tmp), (err) => {
      if (err) return callback(err);
      const target = this.pathFor(name);
      fs.rename(tmp, target, (err) => {
        if (err) return callback(err);
        const results = this.afterStore.map((step) => step(target));
        callback(null, results[0]);
      });
    });
  }
  open(name) {
    return fs.createReadStream(this.pathFor(name));
  }
  preview(name) {
    return buildPreview(this.pathFor(name));
  }
}
const documents = new Documents();
const app = express();
app.put('/documents/:name', (req, res, next) => {
  documents.save(req.params.name, req, (err, preview) => (err ? next(err) : res.status(201).json(preview)));
});
app.get('/documents/:name', (req, res) => {
  documents.open(req.params.name).pipe(res);
});
app.get('/documents/:name/preview', (req, res) => {
  res.json(documents.preview(req.params.name));
});
module.exports = app;
module.exports.buildPreview = buildPreview;
`;

const HOOKS_TS = `import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
const REPORTS = path.join(__dirname, 'reports');
function checksum(file: string): number {
  return fs.readFileSync(file).length;
}
function lines(file: string): number {
  return fs.readFileSync(file, 'utf8').split('\\n').length;
}
class Reports {
  private readonly checks = [checksum, lines];
  verify(name: string): number[] {
    const file = path.join(REPORTS, path.basename(name));
    const results: number[] = [];
    for (const check of this.checks) results.push(check(file));
    return results;
  }
}
const reports = new Reports();
export const app = express();
app.get('/reports/:name/verify', (req, res) => {
  res.json(reports.verify(req.params.name));
});
app.get('/reports/:name/size', (req, res) => {
  res.json({ size: checksum(path.join(REPORTS, path.basename(req.params.name))) });
});
`;

const DOCS_TS = `import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import express from 'express';
function sizeOf(file: string): number {
  return fs.statSync(file).size;
}
class Documents {
  private readonly dir = path.join(__dirname, 'documents');
  private readonly afterStore = [sizeOf];
  pathFor(name: string): string {
    return path.join(this.dir, path.basename(name));
  }
  save(name: string, req: express.Request, callback: (err: Error | null, sizes?: number[]) => void): void {
    const target = this.pathFor(name);
    pipeline(req, fs.createWriteStream(target), (err) => {
      if (err) return callback(err);
      callback(null, this.afterStore.map((step) => step(target)));
    });
  }
}
const documents = new Documents();
export const app = express();
app.put('/documents/:name', (req, res, next) => {
  documents.save(req.params.name, req, (err, sizes) => (err ? next(err) : res.status(201).json(sizes)));
});
`;

describe('planFixes: a list of the program\'s own functions, run over with map or for…of', () => {
  it('CommonJS, disk: the stored file is followed into each function of the list; the map awaits them all', () => {
    const files = { [`${ROOT}/src/app.js`]: DOCS_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toBe(`const path = require('path');
const express = require('express');
const { objectKey, objectStore } = require('./scaling/object-store');
const { callbackify } = require('node:util');
async function buildPreview(file) {
  const data = await objectStore.getFile(file);
  return { bytes: data.length };
}
class Documents {
  constructor() {
    this.dir = path.join(__dirname, 'documents');
    this.afterStore = [buildPreview];
  }
  pathFor(name) {
    return path.join(this.dir, path.basename(name));
  }
  save(name, req, callback) {
    const tmp = path.join(__dirname, 'incoming', name);
    callbackify(() => objectStore.upload(objectKey(tmp), req))((err) => {
      if (err) return callback(err);
      const target = this.pathFor(name);
      callbackify(() => objectStore.rename(tmp, target))(async (err) => {
        if (err) return callback(err);
        const results = await Promise.all(this.afterStore.map(async (step) => await step(target)));
        callback(null, results[0]);
      });
    });
  }
  open(name) {
    return objectStore.createReadStream(this.pathFor(name));
  }
  async preview(name) {
    return await buildPreview(this.pathFor(name));
  }
}
const documents = new Documents();
const app = express();
app.put('/documents/:name', (req, res, next) => {
  documents.save(req.params.name, req, (err, preview) => (err ? next(err) : res.status(201).json(preview)));
});
app.get('/documents/:name', (req, res) => {
  documents.open(req.params.name).pipe(res);
});
app.get('/documents/:name/preview', async (req, res) => {
  res.json(await documents.preview(req.params.name));
});
module.exports = app;
module.exports.buildPreview = buildPreview;
`);
    expect(countFindings(fixed, 'no-local-disk-write')).toBe(0);
  });

  it('CommonJS, blocking: the function becomes async; the list runs it awaited, the direct call and the export keep working', () => {
    const files = { [`${ROOT}/src/app.js`]: DOCS_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toBe(`const fs = require('fs');
const path = require('path');
const { pipeline } = require('stream');
const express = require('express');
async function buildPreview(file) {
  const data = await fs.promises.readFile(file);
  return { bytes: data.length };
}
class Documents {
  constructor() {
    this.dir = path.join(__dirname, 'documents');
    this.afterStore = [buildPreview];
  }
  pathFor(name) {
    return path.join(this.dir, path.basename(name));
  }
  save(name, req, callback) {
    const tmp = path.join(__dirname, 'incoming', name);
    pipeline(req, fs.createWriteStream(tmp), (err) => {
      if (err) return callback(err);
      const target = this.pathFor(name);
      fs.rename(tmp, target, async (err) => {
        if (err) return callback(err);
        const results = await Promise.all(this.afterStore.map(async (step) => await step(target)));
        callback(null, results[0]);
      });
    });
  }
  open(name) {
    return fs.createReadStream(this.pathFor(name));
  }
  async preview(name) {
    return await buildPreview(this.pathFor(name));
  }
}
const documents = new Documents();
const app = express();
app.put('/documents/:name', (req, res, next) => {
  documents.save(req.params.name, req, (err, preview) => (err ? next(err) : res.status(201).json(preview)));
});
app.get('/documents/:name', (req, res) => {
  documents.open(req.params.name).pipe(res);
});
app.get('/documents/:name/preview', async (req, res) => {
  res.json(await documents.preview(req.params.name));
});
module.exports = app;
module.exports.buildPreview = buildPreview;
`);
  });

  it('TypeScript, disk: a class field holding the list; the callback of the upload awaits the mapped functions', () => {
    const files = { [`${ROOT}/src/app.ts`]: DOCS_TS };
    expect(applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`]).toBe(`import path from 'node:path';
import express from 'express';
import { objectKey, objectStore } from './scaling/object-store';
import { callbackify } from 'node:util';
async function sizeOf(file: string): Promise<number> {
  return (await objectStore.stat(file)).size;
}
class Documents {
  private readonly dir = path.join(__dirname, 'documents');
  private readonly afterStore = [sizeOf];
  pathFor(name: string): string {
    return path.join(this.dir, path.basename(name));
  }
  save(name: string, req: express.Request, callback: (err: Error | null, sizes?: number[]) => void): void {
    const target = this.pathFor(name);
    callbackify(() => objectStore.upload(objectKey(target), req))(async (err) => {
      if (err) return callback(err);
      callback(null, await Promise.all(this.afterStore.map(async (step) => await step(target))));
    });
  }
}
const documents = new Documents();
export const app = express();
app.put('/documents/:name', (req, res, next) => {
  documents.save(req.params.name, req, (err, sizes) => (err ? next(err) : res.status(201).json(sizes)));
});
`);
  });

  it('TypeScript, blocking: `for (const check of this.checks)` awaits each check, in order', () => {
    const files = { [`${ROOT}/src/app.ts`]: HOOKS_TS };
    expect(applyPlan(files, movePlan(files, 'no-blocking-request-work', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
const REPORTS = path.join(__dirname, 'reports');
async function checksum(file: string): Promise<number> {
  return (await fs.promises.readFile(file)).length;
}
function lines(file: string): number {
  return fs.readFileSync(file, 'utf8').split('\\n').length;
}
class Reports {
  private readonly checks = [checksum, lines];
  async verify(name: string): Promise<number[]> {
    const file = path.join(REPORTS, path.basename(name));
    const results: number[] = [];
    for (const check of this.checks) results.push(await check(file));
    return results;
  }
}
const reports = new Reports();
export const app = express();
app.get('/reports/:name/verify', async (req, res) => {
  res.json(await reports.verify(req.params.name));
});
app.get('/reports/:name/size', async (req, res) => {
  res.json({ size: await checksum(path.join(REPORTS, path.basename(req.params.name))) });
});
`);
  });
});

describe('planFixes: lists run by forEach, and lists the fix cannot follow (refused, naming the use)', () => {
  const FOR_EACH = DOCS_JS.replace('const results = this.afterStore.map((step) => step(target));\n        callback(null, results[0]);', 'this.afterStore.forEach((step) => step(target));\n        callback(null, {});');
  const PUSHED = DOCS_JS.replace('module.exports = app;', 'documents.afterStore.push((file) => fs.statSync(file));\nmodule.exports = app;');

  it('forEach ignores what the functions return: it becomes a for…of loop that awaits each function in turn before the callback, in both fixes', () => {
    const files = { [`${ROOT}/src/app.js`]: FOR_EACH };
    for (const rule of ['no-blocking-request-work', 'no-local-disk-write'] as const) {
      const planned = planFirst(files, rule, `${ROOT}/src/app.js`);
      expect(planned.refused).toBeUndefined();
      const edits = planned.plans[planned.plans.length - 1].edits.map((edit) => edit.newText);
      // `this.afterStore.forEach((step) => step(target));` → `for (const step of this.afterStore) await step(target);`
      expect(edits.join('|')).toContain('for (const step of |) |;|async |await ');
    }
  });

  it('a list pushed to elsewhere holds functions the fix cannot see', () => {
    const files = { [`${ROOT}/src/app.js`]: PUSHED };
    expect(planFirst(files, 'no-blocking-request-work', `${ROOT}/src/app.js`).refused?.reason).toBe('`documents.afterStore` (src/app.js:47) runs the functions of the list in a way the fix cannot follow');
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe('`step(target)` (src/app.js:24) passes the same files to a function the fix cannot follow');
  });
});
