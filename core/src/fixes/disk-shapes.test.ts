import { describe, expect, it } from 'vitest';
import { planFixes } from '../index';
import { ROOT, applyPlan, countFindings, findingsIn, movePlan, planFirst } from '../testing/fix-plans';

// Legacy upload handlers in the shapes real code has: callback-style fs calls whose callback sends
// the response, a folder constant shared by the writer, the reader and the delete, CommonJS.

const NOTES_JS = `const express = require('express');
const fs = require('fs');
const path = require('path');
const app = express();
const UPLOAD_DIR = path.join(__dirname, 'uploads');
fs.mkdirSync(UPLOAD_DIR, { recursive: true });
app.post('/notes/:id', function (req, res, next) {
  const file = path.join(UPLOAD_DIR, req.params.id + '.txt');
  fs.writeFile(file, req.body.text, function (err) {
    if (err) return next(err);
    console.log('saved', file);
    res.status(201).send('saved');
  });
});
app.get('/notes/:id', function (req, res) {
  fs.readFile(path.join(UPLOAD_DIR, req.params.id + '.txt'), 'utf8', (err, text) => {
    if (err) return res.status(404).end();
    res.send(text);
  });
});
app.delete('/notes/:id', (req, res, next) => {
  fs.unlink(path.join(UPLOAD_DIR, req.params.id + '.txt'), (err) => (err ? next(err) : res.status(204).end()));
});
module.exports = app;
`;

const NOTES_TS = `import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
export const app = express();
const UPLOAD_DIR = path.join(__dirname, 'uploads');
app.post('/notes/:id', (req, res, next) => {
  fs.writeFile(path.join(UPLOAD_DIR, \`\${req.params.id}.txt\`), String(req.body.text), 'base64', (err) => {
    if (err) return next(err);
    res.status(201).send('saved');
  });
});
app.get('/notes/:id', async (req, res) => {
  const text = await fs.promises.readFile(path.join(UPLOAD_DIR, \`\${req.params.id}.txt\`), 'utf8');
  res.send(text);
});
app.get('/notes/:id/raw', (req, res) => {
  res.sendFile(path.join(UPLOAD_DIR, \`\${req.params.id}.txt\`), (err) => {
    if (err) res.status(404).end();
  });
});
`;

describe('planFixes: callback-style writes keep their callback, and every use of the folder moves', () => {
  it('CommonJS: writeFile/readFile/unlink callbacks run after the object-store call with the same arguments', () => {
    const files = { [`${ROOT}/src/app.js`]: NOTES_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const fs = require('fs');
const path = require('path');
const { objectKey, objectStore } = require('./scaling/object-store');
const { callbackify } = require('node:util');
const app = express();
const UPLOAD_DIR = path.join(__dirname, 'uploads');
fs.mkdirSync(UPLOAD_DIR, { recursive: true });
app.post('/notes/:id', function (req, res, next) {
  const file = path.join(UPLOAD_DIR, req.params.id + '.txt');
  callbackify(() => objectStore.putFile(file, req.body.text))(function (err) {
    if (err) return next(err);
    console.log('saved', file);
    res.status(201).send('saved');
  });
});
app.get('/notes/:id', function (req, res) {
  callbackify(() => objectStore.getFile(path.join(UPLOAD_DIR, req.params.id + '.txt')).then((data) => data.toString('utf8')))((err, text) => {
    if (err) return res.status(404).end();
    res.send(text);
  });
});
app.delete('/notes/:id', (req, res, next) => {
  callbackify(() => objectStore.delete(objectKey(path.join(UPLOAD_DIR, req.params.id + '.txt'))))((err) => (err ? next(err) : res.status(204).end()));
});
module.exports = app;
`);
    expect(countFindings(fixed, 'no-local-disk-write')).toBe(0);
  });

  it('TypeScript: an encoding becomes the body, promise readers are awaited, res.sendFile streams from the store', () => {
    const files = { [`${ROOT}/src/app.ts`]: NOTES_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.ts`));
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import path from 'node:path';
import { objectStore } from './scaling/object-store';
import { callbackify } from 'node:util';
export const app = express();
const UPLOAD_DIR = path.join(__dirname, 'uploads');
app.post('/notes/:id', (req, res, next) => {
  callbackify(() => objectStore.putFile(path.join(UPLOAD_DIR, \`\${req.params.id}.txt\`), Buffer.from(String(req.body.text), 'base64')))((err) => {
    if (err) return next(err);
    res.status(201).send('saved');
  });
});
app.get('/notes/:id', async (req, res) => {
  const text = await objectStore.getFile(path.join(UPLOAD_DIR, \`\${req.params.id}.txt\`)).then((data) => data.toString('utf8'));
  res.send(text);
});
app.get('/notes/:id/raw', (req, res) => {
  objectStore.sendFile(res, path.join(UPLOAD_DIR, \`\${req.params.id}.txt\`), (err) => {
    if (err) res.status(404).end();
  });
});
`);
    expect(countFindings(fixed, 'no-local-disk-write')).toBe(0);
  });

  it("express.static serving the folder stays, for the files the app ships there, and the adapter's serveStatic answers the rest from the store", () => {
    const files = { [`${ROOT}/src/app.js`]: NOTES_JS.replace("module.exports = app;", "app.use('/files', express.static(UPLOAD_DIR));\nmodule.exports = app;") };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain("const { objectKey, objectStore, serveStatic } = require('./scaling/object-store');");
    expect(fixed[`${ROOT}/src/app.js`]).toContain("app.use('/files', express.static(UPLOAD_DIR), serveStatic(UPLOAD_DIR));\nmodule.exports = app;");
  });

  it('keeps express.static with its options before the store; refuses it when it does not fall through, and where it is not mounted by use', () => {
    const withOptions = { [`${ROOT}/src/app.js`]: NOTES_JS.replace("module.exports = app;", "app.use('/files', express.static(UPLOAD_DIR, { maxAge: '1d' }));\nmodule.exports = app;") };
    expect(applyPlan(withOptions, movePlan(withOptions, 'no-local-disk-write', `${ROOT}/src/app.js`))[`${ROOT}/src/app.js`]).toContain("app.use('/files', express.static(UPLOAD_DIR, { maxAge: '1d' }), serveStatic(UPLOAD_DIR));");
    const final = { [`${ROOT}/src/app.js`]: NOTES_JS.replace("module.exports = app;", "app.use('/files', express.static(UPLOAD_DIR, { fallthrough: false }));\nmodule.exports = app;") };
    expect(planFirst(final, 'no-local-disk-write', `${ROOT}/src/app.js`).refused).toEqual({
      title: 'Keep the files in the object store (S3)',
      reason: "`express.static(UPLOAD_DIR, { fallthrough: false })` (src/app.js:24) serves the same files from this instance's disk with options the object store has no counterpart for",
    });
    const kept = { [`${ROOT}/src/app.js`]: NOTES_JS.replace("module.exports = app;", "const files = express.static(UPLOAD_DIR, { maxAge: '1d' });\napp.use('/files', files);\nmodule.exports = app;") };
    expect(planFirst(kept, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe("`express.static(UPLOAD_DIR, { maxAge: '1d' })` (src/app.js:24) serves the same files from this instance's disk with options the object store has no counterpart for");
  });

  it('a reader streaming the files with createReadStream gets the store\'s read stream, returned at once like fs\'s', () => {
    const files = { [`${ROOT}/src/app.ts`]: `${NOTES_TS}app.get('/notes/:id/stream', (req, res) => {\n  fs.createReadStream(path.join(UPLOAD_DIR, req.params.id)).pipe(res);\n});\n` };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.ts`));
    expect(fixed[`${ROOT}/src/app.ts`]).toContain(`app.get('/notes/:id/stream', (req, res) => {
  objectStore.createReadStream(path.join(UPLOAD_DIR, req.params.id)).pipe(res);
});
`);
    expect(countFindings(fixed, 'no-local-disk-write')).toBe(0);
  });

  it('refuses when a reader lists the folder, naming the use', () => {
    const files = { [`${ROOT}/src/app.ts`]: `${NOTES_TS}app.get('/notes', (req, res, next) => {\n  fs.readdir(UPLOAD_DIR, (err, names) => (err ? next(err) : res.json(names)));\n});\n` };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.ts`).refused?.reason).toBe(
      "`fs.readdir(…)` (src/app.ts:22) lists the same files on this instance's disk, and the object store has no counterpart for it",
    );
  });

  it('a streamed upload whose callback renames the temp file: the rename happens in the store, and the target folder\'s readers move too', () => {
    // From the legacy apps corpus (commonjs-service): moving only the stream made the rename in its continuation fail with ENOENT.
    const files = {
      [`${ROOT}/src/app.js`]: `const fs = require('fs');
const path = require('path');
const { pipeline } = require('stream');
const express = require('express');
const app = express();
const INCOMING = path.join(__dirname, 'incoming');
app.put('/docs/:name', (req, res, next) => {
  const tmp = path.join(INCOMING, String(Date.now()));
  pipeline(req, fs.createWriteStream(tmp), (err) => {
    if (err) return next(err);
    fs.rename(tmp, path.join(__dirname, 'docs', req.params.name), (err) => (err ? next(err) : res.status(201).end()));
  });
});
app.get('/docs/:name', (req, res) => {
  res.sendFile(path.join(__dirname, 'docs', req.params.name));
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toBe(`const path = require('path');
const express = require('express');
const { objectKey, objectStore } = require('./scaling/object-store');
const { callbackify } = require('node:util');
const app = express();
const INCOMING = path.join(__dirname, 'incoming');
app.put('/docs/:name', (req, res, next) => {
  const tmp = path.join(INCOMING, String(Date.now()));
  callbackify(() => objectStore.upload(objectKey(tmp), req))((err) => {
    if (err) return next(err);
    callbackify(() => objectStore.rename(tmp, path.join(__dirname, 'docs', req.params.name)))((err) => (err ? next(err) : res.status(201).end()));
  });
});
app.get('/docs/:name', (req, res) => {
  objectStore.sendFile(res, path.join(__dirname, 'docs', req.params.name));
});
`);
  });

  it('refuses a write whose path names no folder', () => {
    const files = { [`${ROOT}/src/app.js`]: `const fs = require('fs');\nconst express = require('express');\nconst app = express();\napp.post('/save', (req, res) => {\n  fs.writeFile(req.body.dest, req.body.text, () => res.end());\n});\n` };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe('the path names no folder or path function, so the other uses of the same files cannot be found');
  });
});

describe('planFixes: files written outside the package', () => {
  // The API of a repository with a front end beside it writes the logo into the front end's public
  // folder: the front end serves it from there, out of the fix's sight, so moving the write to the
  // store would leave every page without its logo.
  const logo = (folder: string) => `import express from 'express';
import fs from 'node:fs';
import path from 'node:path';

const IMAGES_PATH = ${folder};
export const app = express();

app.post('/logo', express.raw({ type: 'image/png' }), async (req, res) => {
  await fs.promises.writeFile(\`\${IMAGES_PATH}/logo.png\`, req.body);
  res.sendStatus(204);
});
`;

  it('refuses a write into a sibling folder of the package, naming it, from the working folder or from the module', () => {
    const cwd = { [`${ROOT}/src/logo.ts`]: logo("'../frontend/public/img'") };
    expect(planFirst(cwd, 'no-local-disk-write', `${ROOT}/src/logo.ts`).refused?.reason).toBe(
      'the files go to `../frontend/public/img`, outside this package: what reads them there (another app of the repository, a web server) is not in this project, so the fix cannot move those reads with the write',
    );
    const module = { [`${ROOT}/src/logo.ts`]: logo("path.join(__dirname, '..', '..', 'web', 'public')") };
    expect(planFirst(module, 'no-local-disk-write', `${ROOT}/src/logo.ts`).refused?.reason).toBe(
      'the files go to `../web/public`, outside this package: what reads them there (another app of the repository, a web server) is not in this project, so the fix cannot move those reads with the write',
    );
  });

  it('a folder of the package reached through `..` of the module, or an absolute folder, still moves', () => {
    for (const folder of ["path.join(__dirname, '..', 'uploads')", "'./public/img'", "'/var/lib/shop/img'", 'process.env.IMAGES_PATH ?? "../frontend/public/img"']) {
      const files = { [`${ROOT}/src/logo.ts`]: logo(folder) };
      expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/logo.ts`).refused, folder).toBeUndefined();
    }
  });
});

describe('planFixes: an upload kept under a name of its own', () => {
  // An admin export into a folder the request names: each file is a name in that folder, and no
  // folder of the app's own holds them (wiki's export wrote six such files; two had moved alone).
  it('refuses a write whose path is a file name in a folder the code is given', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const fs = require('fs');
const path = require('path');
const express = require('express');
const db = require('./db');
const app = express();
async function exportTo(folder) {
  const pages = await db.pages();
  await fs.promises.writeFile(path.join(folder, 'pages.json'), JSON.stringify(pages));
}
app.post('/admin/export', async (req, res) => {
  await exportTo(req.body.path);
  res.sendStatus(204);
});
module.exports = app;
`,
      [`${ROOT}/src/db.js`]: 'exports.pages = async () => [];\n',
    };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe('the path names no folder or path function, so the other uses of the same files cannot be found');
  });

  it("`const file = req.file` and `const { file } = req`: the upload's path moves with multer's folder, so nothing reads or deletes it on this disk", () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const fs = require('fs');
const path = require('path');
const express = require('express');
const multer = require('multer');
const app = express();
const upload = multer({ dest: 'public/uploads/' });
app.post('/products/:id/image', upload.single('image'), async (req, res) => {
  const file = req.file;
  if (file.size > 1000000) {
    fs.unlinkSync(file.path);
    return res.status(400).json({ message: 'too large' });
  }
  const target = path.join('public/uploads', req.params.id + '.png');
  await fs.promises.copyFile(file.path, target);
  res.json({ ok: true });
});
app.post('/avatars', upload.single('avatar'), (req, res) => {
  const { file } = req;
  fs.unlink(file.path, () => res.status(204).end());
});
module.exports = app;
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`))[`${ROOT}/src/app.js`];
    expect(fixed).toContain('    await objectStore.delete(objectKey(file.path));\n');
    expect(fixed).toContain('  await objectStore.copyFile(file.path, target);\n');
    expect(fixed).toContain('  callbackify(() => objectStore.delete(objectKey(file.path)))(() => res.status(204).end());\n');
    expect(fixed).not.toMatch(/fs\.(?:unlink|copyFile|promises)/);
  });
});

describe('planFixes: every write into the moved folder moves, also a copy of a file from elsewhere on this disk', () => {
  // From a NestJS chatbot's local storage helper: the buffer writes moved and the copy of multer's temp file did not, so
  // attachments uploaded through that branch were written to the disk and then read from the store.
  const STORAGE_TS = `import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import express from 'express';
import multer from 'multer';

const ROOT_DIR = resolve('uploads');

export async function store(file: Buffer | Express.Multer.File, name: string): Promise<string> {
  const filePath = resolve(join(ROOT_DIR, name));
  if (Buffer.isBuffer(file)) {
    await fs.promises.writeFile(filePath, file);
  } else if (file.path) {
    await fs.promises.copyFile(file.path, filePath);
    await fs.promises.unlink(file.path);
  } else {
    await fs.promises.writeFile(filePath, file.buffer);
  }
  return name;
}

export function read(name: string): Readable {
  return fs.createReadStream(resolve(join(ROOT_DIR, name)));
}

const upload = multer({ dest: '/tmp/incoming' });
export const app = express();
app.post('/attachments', upload.single('file'), async (req, res) => {
  res.json({ name: await store(req.file!, req.file!.originalname) });
});
app.post('/attachments/raw', express.raw(), async (req, res) => {
  res.json({ name: await store(req.body as Buffer, String(req.query.name)) });
});
app.get('/attachments/:name', (req, res) => {
  read(req.params.name).pipe(res);
});
`;

  it('the copy of the parsed temp file streams it up to the key the buffers are written at, and the temp file is removed as before', () => {
    const files = { [`${ROOT}/src/storage.ts`]: STORAGE_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/storage.ts`))[`${ROOT}/src/storage.ts`];
    expect(fixed).toContain('    await objectStore.putFile(filePath, file);\n');
    expect(fixed).toContain('    await objectStore.upload(objectKey(filePath), fs.createReadStream(file.path));\n    await fs.promises.unlink(file.path);\n');
    expect(fixed).toContain('    await objectStore.putFile(filePath, file.buffer);\n');
    expect(fixed).toContain('  return objectStore.createReadStream(resolve(join(ROOT_DIR, name)));\n');
    expect(fixed).not.toContain('fs.promises.copyFile');
  });

  it('found at the copy, the fix is the same', () => {
    const files = { [`${ROOT}/src/storage.ts`]: STORAGE_TS };
    const { findings, program, sourceFile } = findingsIn(files, 'no-local-disk-write', `${ROOT}/src/storage.ts`);
    expect(findings.map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1} ${finding.data.callee ?? finding.messageId}`)).toEqual(['12 fs.promises.writeFile', '14 fs.promises.copyFile', '17 fs.promises.writeFile', '26 uploadToDisk']);
    const atCopy = planFixes(sourceFile, findings[1], { program, projectRoot: ROOT }).plans.at(-1)!;
    expect(applyPlan(files, atCopy)).toEqual(applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/storage.ts`)));
  });
});

describe('planFixes: fs options that are the defaults', () => {
  it("fs-extra's outputFile(path, data) given its data by name writes it: the name is not a callback", () => {
    const files = {
      [`${ROOT}/src/storage.ts`]: `import fs from 'fs-extra';
import path from 'node:path';
import express from 'express';
export const app = express();
const STORAGE_DIR = path.join(__dirname, 'storage');
async function save(name: string, file: Buffer): Promise<void> {
  await fs.outputFile(path.join(STORAGE_DIR, name), file);
}
app.put('/files/:name', async (req, res) => {
  await save(req.params.name, Buffer.from(String(req.body)));
  res.status(201).end();
});
app.get('/files/:name', async (req, res) => {
  res.send(await fs.readFile(path.join(STORAGE_DIR, req.params.name)));
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/storage.ts`));
    expect(fixed[`${ROOT}/src/storage.ts`]).toContain('  await objectStore.putFile(path.join(STORAGE_DIR, name), file);\n');
    expect(fixed[`${ROOT}/src/storage.ts`]).toContain('  res.send(await objectStore.getFile(path.join(STORAGE_DIR, req.params.name)));\n');
  });

  it('writeFile(path, data, null) writes with no options: it moves as a plain write', () => {
    const files = { [`${ROOT}/src/app.ts`]: NOTES_TS.replace("String(req.body.text), 'base64', (err)", 'String(req.body.text), null, (err)') };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.ts`));
    expect(fixed[`${ROOT}/src/app.ts`]).toContain('callbackify(() => objectStore.putFile(path.join(UPLOAD_DIR, `${req.params.id}.txt`), String(req.body.text)))((err) => {');
  });
});

describe('planFixes: uploads written through streams and renames use the streaming upload', () => {
  it('CommonJS: pipeline(req, fs.createWriteStream(p), cb) keeps its callback', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const fs = require('fs');
const { pipeline } = require('stream');
const app = express();
app.put('/uploads/:name', (req, res, next) => {
  pipeline(req, fs.createWriteStream('uploads/' + req.params.name), (err) => {
    if (err) return next(err);
    res.status(201).json({ name: req.params.name });
  });
});
module.exports = app;
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toBe(`const express = require('express');
const { objectKey, objectStore } = require('./scaling/object-store');
const { callbackify } = require('node:util');
const app = express();
app.put('/uploads/:name', (req, res, next) => {
  callbackify(() => objectStore.upload(objectKey('uploads/' + req.params.name), req))((err) => {
    if (err) return next(err);
    res.status(201).json({ name: req.params.name });
  });
});
module.exports = app;
`);
  });

  it("TypeScript: req.pipe(fs.createWriteStream(p)).on('finish', …).on('error', …) becomes upload().then(…, …)", () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import fs from 'node:fs';
export const app = express();
app.put('/uploads/:name', (req, res) => {
  req.pipe(fs.createWriteStream(\`uploads/\${req.params.name}\`))
    .on('error', () => res.status(500).end())
    .on('finish', () => res.status(201).end());
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.ts`));
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import express from 'express';
import { objectKey, objectStore } from './scaling/object-store';
export const app = express();
app.put('/uploads/:name', (req, res) => {
  objectStore.upload(objectKey(\`uploads/\${req.params.name}\`), req).then(() => res.status(201).end(), () => res.status(500).end());
});
`);
  });

  it('CommonJS: fs.rename of a parsed temp file streams it up and removes it, then calls back', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const fs = require('fs');
const path = require('path');
const formidable = require('formidable');
const app = express();
app.post('/avatars', (req, res, next) => {
  formidable().parse(req, (err, fields, parsed) => {
    if (err) return next(err);
    const target = path.join('avatars', parsed.avatar.originalFilename);
    fs.rename(parsed.avatar.filepath, target, (moveErr) => {
      if (moveErr) return next(moveErr);
      res.json({ url: '/' + target });
    });
  });
});
module.exports = app;
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain(`    callbackify(() => objectStore.upload(objectKey(target), fs.createReadStream(parsed.avatar.filepath)).then(() => fs.promises.unlink(parsed.avatar.filepath)))((moveErr) => {
      if (moveErr) return next(moveErr);`);
  });
});

describe('planFixes: an upload folder a function picks among several', () => {
  const UPLOADS = (choose: string) => `import path from 'node:path';
import fs from 'node:fs';
import express from 'express';
import multer from 'multer';
export const app = express();
${choose}
const storage = multer.diskStorage({
  destination: (req, file, callback) => {
    const folder = folderFor(req.params.kind);
    if (!fs.existsSync(folder)) fs.mkdirSync(folder, { recursive: true });
    callback(null, folder);
  },
});
const upload = multer({ storage });
app.post('/upload/:kind', upload.single('file'), (req, res) => res.json({ url: \`/img/\${req.params.kind}/\${req.file?.filename}\` }));
app.use('/img', express.static('public/images'));
app.delete('/img/device/:name', async (req, res) => {
  await fs.promises.unlink(path.join('public/images/device', req.params.name));
  res.status(204).end();
});
`;

  it('refuses, naming the folders: the static route and the delete name them as literals, which the fix cannot tie to the upload', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: UPLOADS(`function folderFor(kind: string): string {
  let folder = 'public/images';
  switch (kind) {
    case 'device':
      folder = 'public/images/device';
      break;
    case 'user':
      folder = 'public/images/user';
      break;
  }
  return folder;
}`),
    };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.ts`).refused?.reason).toBe(
      '`folderFor(…)` picks the folder among 3 (`public/images`, `public/images/device`, `public/images/user`): the code may name each of them elsewhere (a static route, a delete), which the fix cannot tell from the files it moves',
    );
    const chosen = { [`${ROOT}/src/app.ts`]: UPLOADS(`const folderFor = (kind: string) => (kind === 'device' ? 'public/images/device' : 'public/images');`) };
    expect(planFirst(chosen, 'no-local-disk-write', `${ROOT}/src/app.ts`).refused?.reason).toBe(
      '`folderFor(…)` picks the folder among 2 (`public/images/device`, `public/images`): the code may name each of them elsewhere (a static route, a delete), which the fix cannot tell from the files it moves',
    );
  });

  it('a function that builds one folder from a setting is followed as before', () => {
    const files = {
      [`${ROOT}/src/app.ts`]: `import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
export const app = express();
const EXPORT_DIR = path.join(__dirname, 'exports');
function exportPath(id: string): string {
  return path.join(EXPORT_DIR, \`\${id}.csv\`);
}
app.post('/exports/:id', async (req, res) => {
  await fs.promises.writeFile(exportPath(req.params.id), String(req.body));
  res.status(201).end();
});
app.get('/exports/:id', (req, res) => res.sendFile(exportPath(req.params.id)));
`,
    };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.ts`).refused).toBeUndefined();
  });
});

describe('planFixes: an upload folder named by a setting of a config object', () => {
  it('TypeScript: diskStorage({ destination: config.imageDir }) and the sendFile of the same setting move together', () => {
    const files = {
      [`${ROOT}/src/config.ts`]: `export interface Config { imageDir: string }\nexport const config: Config = { imageDir: process.env.IMAGE_DIR ?? 'images' };\n`,
      [`${ROOT}/src/app.ts`]: `import path from 'node:path';
import express from 'express';
import multer from 'multer';
import { config } from './config';
export const app = express();
const upload = multer({ storage: multer.diskStorage({ destination: config.imageDir }) });
app.post('/images', upload.single('image'), (req, res) => res.json({ id: req.file?.filename }));
app.get('/images/:id', (req, res) => {
  res.sendFile(path.join(config.imageDir, req.params.id));
});
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.ts`));
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import path from 'node:path';
import express from 'express';
import multer from 'multer';
import { config } from './config';
import { objectStorage, objectStore } from './scaling/object-store';
export const app = express();
const upload = multer({ storage: objectStorage({ destination: config.imageDir }) });
app.post('/images', upload.single('image'), (req, res) => res.json({ id: req.file?.filename }));
app.get('/images/:id', (req, res) => {
  objectStore.sendFile(res, path.join(config.imageDir, req.params.id));
});
`);
  });
});

// From the legacy apps corpus (record-shop): the folder of multer's diskStorage was named again only inside a
// service's path helper (`coverPath(name)` returning `path.join(config.uploadDir, name)`), which a controller
// passed to res.sendFile: the upload moved to the store, the download stayed on the disk and answered 404.
describe("planFixes: a use through the program's own path function is a use of the same files", () => {
  const files = {
    [`${ROOT}/src/config.ts`]: `export const config = { uploadDir: process.env.UPLOAD_DIR || 'uploads' };\n`,
    [`${ROOT}/src/services/covers.ts`]: `import path from 'path';
import multer from 'multer';
import { config } from '../config';
const storage = multer.diskStorage({
  destination: (_req, _file, cb) => cb(null, config.uploadDir),
  filename: (_req, file, cb) => cb(null, file.originalname),
});
export const coverUpload = multer({ storage });
export function coverPath(fileName: string): string {
  if (fileName !== path.basename(fileName)) throw new Error('bad file name');
  return path.join(config.uploadDir, fileName);
}
`,
    [`${ROOT}/src/controllers/covers.ts`]: `import type { Request, Response } from 'express';
import { coverPath } from '../services/covers';
export function sendCover(req: Request, res: Response) {
  res.sendFile(coverPath(req.params.file), (err) => {
    if (err && !res.headersSent) res.status(404).json({ error: 'no such cover' });
  });
}
`,
  };

  it('TypeScript: res.sendFile(coverPath(…)) in another module streams from the store with the upload', () => {
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/services/covers.ts`));
    expect(fixed[`${ROOT}/src/controllers/covers.ts`]).toBe(`import type { Request, Response } from 'express';
import { coverPath } from '../services/covers';
import { objectStore } from '../scaling/object-store';
export function sendCover(req: Request, res: Response) {
  objectStore.sendFile(res, coverPath(req.params.file), (err) => {
    if (err && !res.headersSent) res.status(404).json({ error: 'no such cover' });
  });
}
`);
  });

  // From the legacy apps corpus (express-promises): `pdfPath(id)` returns `path.join(pdfDir, …)`, and pdfDir is made
  // from the same `config.uploadDir` as the attachments' folder: the attachments fix must not take the PDFs in.
  it("a helper returning a file of a sibling folder made from the same setting is not a use of the uploads", () => {
    const sibling = {
      ...files,
      [`${ROOT}/src/services/covers.ts`]: `import path from 'path';
import multer from 'multer';
import { config } from '../config';
export const coverDir = path.join(config.uploadDir, 'covers');
const storage = multer.diskStorage({ destination: (_req, _file, cb) => cb(null, coverDir) });
export const coverUpload = multer({ storage });
export const receiptDir = path.join(config.uploadDir, 'receipts');
export function receiptPath(id: number): string {
  return path.join(receiptDir, \`receipt-\${id}.txt\`);
}
`,
      [`${ROOT}/src/controllers/covers.ts`]: `import type { Request, Response } from 'express';
import { receiptPath } from '../services/covers';
export function sendReceipt(req: Request, res: Response) {
  res.sendFile(receiptPath(Number(req.params.id)));
}
`,
    };
    const fixed = applyPlan(sibling, movePlan(sibling, 'no-local-disk-write', `${ROOT}/src/services/covers.ts`));
    expect(fixed[`${ROOT}/src/controllers/covers.ts`]).toBe(sibling[`${ROOT}/src/controllers/covers.ts`]);
  });

  it('a helper returning a path of another folder is still not a use of the uploads', () => {
    const other = {
      ...files,
      [`${ROOT}/src/controllers/covers.ts`]: `import path from 'path';
import type { Request, Response } from 'express';
function docPath(name: string): string {
  return path.join(__dirname, 'docs', name);
}
export function sendDoc(req: Request, res: Response) {
  res.sendFile(docPath(req.params.file));
}
`,
    };
    const fixed = applyPlan(other, movePlan(other, 'no-local-disk-write', `${ROOT}/src/services/covers.ts`));
    expect(fixed[`${ROOT}/src/controllers/covers.ts`]).toBe(other[`${ROOT}/src/controllers/covers.ts`]);
  });
});

// From the legacy apps corpus (express-callbacks): multer's temp folder moved to the store while the
// handler still streamed `req.file.path` from the disk: every upload failed with ENOENT.
const COVERS_JS = {
  [`${ROOT}/config/index.js`]: `var fs = require('fs');
var path = require('path');
var settings = JSON.parse(fs.readFileSync(path.join(__dirname, 'settings.json'), 'utf8'));
settings.uploadDir = process.env.UPLOAD_DIR || path.join(__dirname, '..', 'uploads');
settings.exportDir = path.join(settings.uploadDir, 'exports');
module.exports = settings;
`,
  [`${ROOT}/routes/books.js`]: `var express = require('express');
var fs = require('fs');
var path = require('path');
var multer = require('multer');
var config = require('../config');
var router = express.Router();
var coverDir = path.join(config.uploadDir, 'covers');
var upload = multer({ dest: path.join(config.uploadDir, 'tmp') });
router.post('/:id/cover', upload.single('cover'), function (req, res, next) {
  var target = path.join(coverDir, req.params.id + '.jpg');
  fs.mkdir(coverDir, { recursive: true }, function (err) {
    if (err) return next(err);
    fs.rename(req.file.path, target, function (err) {
      if (err) return next(err);
      res.status(201).json({ bytes: req.file.size });
    });
  });
});
router.get('/:id/cover', function (req, res) {
  res.sendFile(path.join(coverDir, req.params.id + '.jpg'), function (err) {
    if (err && !res.headersSent) res.status(404).end();
  });
});
module.exports = router;
`,
  [`${ROOT}/routes/exports.js`]: `var express = require('express');
var fs = require('fs');
var path = require('path');
var stream = require('stream');
var config = require('../config');
var router = express.Router();
router.post('/', function (req, res, next) {
  var name = 'books-' + Date.now() + '.csv';
  fs.writeFile(path.join(config.exportDir, name), 'id\\n', function (err) {
    if (err) return next(err);
    res.status(201).json({ file: name });
  });
});
router.get('/:name', function (req, res) {
  var file = path.join(config.exportDir, path.basename(req.params.name));
  fs.stat(file, function (err) {
    if (err) return res.status(404).json({ error: 'no such export' });
    stream.pipeline(fs.createReadStream(file), res, function () {});
  });
});
module.exports = router;
`,
};

describe('planFixes: every use of the moved files moves, through renames and untyped settings', () => {
  it("multer's folder moves with the handler's rename of req.file.path (in the store), and the rename target's sendFile", () => {
    const fixed = applyPlan(COVERS_JS, movePlan(COVERS_JS, 'no-local-disk-write', `${ROOT}/routes/books.js`));
    expect(fixed[`${ROOT}/routes/books.js`]).toBe(`var express = require('express');
var fs = require('fs');
var path = require('path');
var multer = require('multer');
var config = require('../config');
const { objectStorage, objectStore } = require('../src/scaling/object-store');
const { callbackify } = require('node:util');
var router = express.Router();
var coverDir = path.join(config.uploadDir, 'covers');
var upload = multer({ storage: objectStorage({ destination: path.join(config.uploadDir, 'tmp') }) });
router.post('/:id/cover', upload.single('cover'), function (req, res, next) {
  var target = path.join(coverDir, req.params.id + '.jpg');
  fs.mkdir(coverDir, { recursive: true }, function (err) {
    if (err) return next(err);
    callbackify(() => objectStore.rename(req.file.path, target))(function (err) {
      if (err) return next(err);
      res.status(201).json({ bytes: req.file.size });
    });
  });
});
router.get('/:id/cover', function (req, res) {
  objectStore.sendFile(res, path.join(coverDir, req.params.id + '.jpg'), function (err) {
    if (err && !res.headersSent) res.status(404).end();
  });
});
module.exports = router;
`);
    // exports.js keeps its own write: it is another folder's fix.
    expect(findingsIn(fixed, 'no-local-disk-write', `${ROOT}/routes/books.js`).findings).toEqual([]);
  });

  it("a setting of an untyped require('../config') names the folder: the other route's stat and createReadStream of a local path move too", () => {
    const fixed = applyPlan(COVERS_JS, movePlan(COVERS_JS, 'no-local-disk-write', `${ROOT}/routes/exports.js`));
    expect(fixed[`${ROOT}/routes/exports.js`]).toBe(`var express = require('express');
var path = require('path');
var stream = require('stream');
var config = require('../config');
const { objectStore } = require('../src/scaling/object-store');
const { callbackify } = require('node:util');
var router = express.Router();
router.post('/', function (req, res, next) {
  var name = 'books-' + Date.now() + '.csv';
  callbackify(() => objectStore.putFile(path.join(config.exportDir, name), 'id\\n'))(function (err) {
    if (err) return next(err);
    res.status(201).json({ file: name });
  });
});
router.get('/:name', function (req, res) {
  var file = path.join(config.exportDir, path.basename(req.params.name));
  callbackify(() => objectStore.stat(file))(function (err) {
    if (err) return res.status(404).json({ error: 'no such export' });
    stream.pipeline(objectStore.createReadStream(file), res, function () {});
  });
});
module.exports = router;
`);
    // The covers route uses another setting: it is not touched.
    expect(fixed[`${ROOT}/routes/books.js`]).toBe(COVERS_JS[`${ROOT}/routes/books.js`]);
  });
});

describe('planFixes: a path handed to a function of the program', () => {
  const DOCS_JS = `const express = require('express');
const fs = require('fs');
const path = require('path');
const app = express();
const DOC_DIR = path.join(__dirname, 'docs');
function readDoc(file, callback) {
  fs.readFile(file, 'utf8', callback);
}
app.post('/docs/:name', (req, res, next) => {
  fs.writeFile(path.join(DOC_DIR, path.basename(req.params.name)), req.body.text, (err) => (err ? next(err) : res.status(201).end()));
});
app.get('/docs/:name', (req, res, next) => {
  readDoc(path.join(DOC_DIR, path.basename(req.params.name)), (err, text) => (err ? next(err) : res.send(text)));
});
`;

  it("follows the path into the function: its reads of the parameter move too", () => {
    const files = { [`${ROOT}/src/app.js`]: DOCS_JS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain(`function readDoc(file, callback) {
  callbackify(() => objectStore.getFile(file).then((data) => data.toString('utf8')))(callback);
}`);
    expect(countFindings(fixed, 'no-local-disk-write')).toBe(0);
  });

  it('follows the path through a list of hooks run with forEach: the callback-style hook reads from the store', () => {
    // From the legacy apps corpus (commonjs-service): the hooks read the stored file back.
    const files = { [`${ROOT}/src/app.js`]: `${DOCS_JS}const hooks = [readDoc];\napp.put('/docs/:name', (req, res, next) => {\n  const file = path.join(DOC_DIR, path.basename(req.params.name));\n  hooks.forEach((hook) => hook(file, () => undefined));\n  res.end();\n});\n` };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain(`function readDoc(file, callback) {
  callbackify(() => objectStore.getFile(file).then((data) => data.toString('utf8')))(callback);
}`);
    expect(fixed[`${ROOT}/src/app.js`]).toContain(`const hooks = [readDoc];
app.put('/docs/:name', (req, res, next) => {
  const file = path.join(DOC_DIR, path.basename(req.params.name));
  hooks.forEach((hook) => hook(file, () => undefined));
  res.end();
});
`);
  });

  it('refuses when the hooks come in as a parameter (the fix cannot see which functions they are), naming the call', () => {
    const files = { [`${ROOT}/src/app.js`]: `${DOCS_JS}function runHooks(file, hooks) {\n  hooks.forEach((hook) => hook(file, () => undefined));\n}\napp.put('/docs/:name', (req, res, next) => {\n  runHooks(path.join(DOC_DIR, path.basename(req.params.name)), [readDoc]);\n  res.end();\n});\n` };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe('`hook(file, () => undefined)` (src/app.js:16) passes the same files to a function the fix cannot follow');
  });

  it('follows the path handed on as a later argument (mail(to, file)): the function’s read of that parameter moves too', () => {
    const files = { [`${ROOT}/src/app.js`]: `${DOCS_JS}function mailDoc(to, file, callback) {\n  fs.readFile(file, callback);\n}\napp.post('/docs/:name/mail', (req, res, next) => {\n  const file = path.join(DOC_DIR, path.basename(req.params.name));\n  mailDoc(req.body.to, file, (err) => (err ? next(err) : res.status(202).end()));\n});\n` };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain(`function mailDoc(to, file, callback) {
  callbackify(() => objectStore.getFile(file))(callback);
}
app.post('/docs/:name/mail', (req, res, next) => {
  const file = path.join(DOC_DIR, path.basename(req.params.name));
  mailDoc(req.body.to, file, (err) => (err ? next(err) : res.status(202).end()));
});
`);
    expect(countFindings(fixed, 'no-local-disk-write')).toBe(0);
  });

  it('a path stored as a value of a query (db.query(sql, [file], cb) through the program’s own function) is not followed: the fix goes ahead', () => {
    const files = { [`${ROOT}/src/app.js`]: `${DOCS_JS}const { Pool } = require('pg');\nconst pool = new Pool();\nfunction query(text, params, callback) {\n  return pool.query(text, params, callback);\n}\napp.put('/docs/:name/index', (req, res, next) => {\n  const file = path.join(DOC_DIR, path.basename(req.params.name));\n  query('INSERT INTO docs (file) VALUES ($1)', [file], (err) => (err ? next(err) : res.status(204).end()));\n});\n` };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain(`function query(text, params, callback) {
  return pool.query(text, params, callback);
}`);
    expect(countFindings(fixed, 'no-local-disk-write')).toBe(0);
  });

  it('a library call given the path is left alone (console.log, res.json)', () => {
    const files = { [`${ROOT}/src/app.js`]: DOCS_JS.replace("(err ? next(err) : res.status(201).end())", "(err ? next(err) : res.status(201).json(path.join(DOC_DIR, 'x')))") };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused).toBeUndefined();
  });
});

describe('planFixes: multer storages as NestJS and TypeScript apps configure them', () => {
  it("NestJS: FileInterceptor's diskStorage imported by name becomes objectStorage, and sendFile(name, { root }) of the folder moves", () => {
    const files = {
      [`${ROOT}/src/files.controller.ts`]: `import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { diskStorage } from 'multer';
import { join } from 'path';
import type { Response } from 'express';
export const FILES_DIR = join(process.cwd(), 'uploads', 'files');
@Controller('files')
export class FilesController {
  @Post()
  @UseInterceptors(FileInterceptor('file', { storage: diskStorage({ destination: FILES_DIR }) }))
  upload(@UploadedFile() file: { filename: string }) {
    return { name: file.filename };
  }
  @Get(':name')
  download(@Param('name') name: string, @Res() res: Response) {
    return res.sendFile(name, { root: FILES_DIR }, (err) => {
      if (err && !res.headersSent) res.status(404).end();
    });
  }
}
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/files.controller.ts`));
    expect(fixed[`${ROOT}/src/files.controller.ts`]).toBe(`import { Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { join } from 'path';
import type { Response } from 'express';
import { objectStorage, objectStore } from './scaling/object-store';
export const FILES_DIR = join(process.cwd(), 'uploads', 'files');
@Controller('files')
export class FilesController {
  @Post()
  @UseInterceptors(FileInterceptor('file', { storage: objectStorage({ destination: FILES_DIR }) }))
  upload(@UploadedFile() file: { filename: string }) {
    return { name: file.filename };
  }
  @Get(':name')
  download(@Param('name') name: string, @Res() res: Response) {
    return objectStore.sendFile(res, name, { root: FILES_DIR }, (err) => {
      if (err && !res.headersSent) res.status(404).end();
    });
  }
}
`);
  });

  it('a destination function that calls back with one folder names it: the res.download of the folder moves', () => {
    const files = {
      [`${ROOT}/src/upload.ts`]: `import path from 'path';
import multer from 'multer';
export const attachmentDir = path.join(process.cwd(), 'uploads', 'attachments');
export const upload = multer({ storage: multer.diskStorage({ destination: (_req, _file, cb) => cb(null, attachmentDir) }) });
`,
      [`${ROOT}/src/routes.ts`]: `import path from 'path';
import type { Request, Response } from 'express';
import { attachmentDir } from './upload';
export function getAttachment(req: Request, res: Response) {
  res.download(path.join(attachmentDir, path.basename(req.params.name)), (err) => {
    if (err && !res.headersSent) res.status(404).end();
  });
}
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/upload.ts`));
    expect(fixed[`${ROOT}/src/upload.ts`]).toContain('export const upload = multer({ storage: objectStorage({ destination: (_req, _file, cb) => cb(null, attachmentDir) }) });');
    expect(fixed[`${ROOT}/src/routes.ts`]).toContain(`  objectStore.download(res, path.join(attachmentDir, path.basename(req.params.name)), (err) => {`);
  });

  it('a destination function that picks one of several folders names none: refused', () => {
    const files = { [`${ROOT}/src/upload.ts`]: `import multer from 'multer';\nexport const upload = multer({ storage: multer.diskStorage({ destination: (req, _file, cb) => (req.query.big ? cb(null, 'big') : cb(null, 'small')) }) });\n` };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/upload.ts`).refused?.reason).toBe('the path names no folder or path function, so the other uses of the same files cannot be found');
  });
});

describe('planFixes: a write stream used as a value', () => {
  const RENDER_TS = `import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import express from 'express';
export const app = express();
const REPORT_DIR = path.join(process.cwd(), 'reports');
export function render(id: string, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(path.join(REPORT_DIR, id + '.txt'));
    out.on('finish', () => resolve());
    out.on('error', reject);
    Readable.from(lines).pipe(out);
  });
}
app.post('/reports/:id', (req, res, next) => {
  render(req.params.id, req.body.lines).then(() => res.status(201).end(), next);
});
`;

  it("becomes the store's write stream: 'finish' still means written", () => {
    const files = { [`${ROOT}/src/render.ts`]: RENDER_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/render.ts`));
    expect(fixed[`${ROOT}/src/render.ts`]).toContain(`    const out = objectStore.createWriteStream(path.join(REPORT_DIR, id + '.txt'));
    out.on('finish', () => resolve());`);
    expect(countFindings(fixed, 'no-local-disk-write')).toBe(0);
  });

  const RESOLVED_TS = RENDER_TS.replace('Promise<void>', 'Promise<string>')
    .replace("const out = fs.createWriteStream(path.join(REPORT_DIR, id + '.txt'));\n    out.on('finish', () => resolve());", "const file = path.join(REPORT_DIR, id + '.txt');\n    const out = fs.createWriteStream(file);\n    out.on('finish', () => resolve(file));")
    .replace("render(req.params.id, req.body.lines).then(() => res.status(201).end(), next);", "render(req.params.id, req.body.lines).then((file) => res.download(file, 'report.txt'), next);");

  it("follows the path resolve() hands to the callers: the caller's download moves too", () => {
    const files = { [`${ROOT}/src/render.ts`]: RESOLVED_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/render.ts`));
    expect(fixed[`${ROOT}/src/render.ts`]).toContain(`    const out = objectStore.createWriteStream(file);
    out.on('finish', () => resolve(file));`);
    expect(fixed[`${ROOT}/src/render.ts`]).toContain("  render(req.params.id, req.body.lines).then((file) => objectStore.download(res, file, 'report.txt'), next);");
  });

  it('NestJS: `const path = await this.service.render(…)` then res.download(path, name) moves with the write stream', () => {
    const files = {
      [`${ROOT}/src/certificates.service.ts`]: `import { Injectable } from '@nestjs/common';
import { createWriteStream } from 'fs';
import { join } from 'path';
import { Readable } from 'stream';
const CERT_DIR = join(process.cwd(), 'uploads', 'certificates');
@Injectable()
export class CertificatesService {
  render(name: string, file: string): Promise<string> {
    const path = join(CERT_DIR, file);
    return new Promise((resolve, reject) => {
      const out = createWriteStream(path);
      out.on('finish', () => resolve(path));
      out.on('error', reject);
      Readable.from([name]).pipe(out);
    });
  }
}
`,
      [`${ROOT}/src/certificates.controller.ts`]: `import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CertificatesService } from './certificates.service';
@Controller('certificates')
export class CertificatesController {
  constructor(private readonly certificates: CertificatesService) {}
  @Get(':id')
  async download(@Param('id') id: string, @Res() res: Response) {
    const path = await this.certificates.render('Ada', \`\${id}.pdf\`);
    res.download(path, \`certificate-\${id}.pdf\`);
  }
}
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/certificates.service.ts`));
    expect(fixed[`${ROOT}/src/certificates.service.ts`]).toContain('      const out = objectStore.createWriteStream(path);\n');
    expect(fixed[`${ROOT}/src/certificates.controller.ts`]).toContain('    objectStore.download(res, path, `certificate-${id}.pdf`);\n');
  });

  it('refuses when a caller uses the resolved path anywhere the fix does not move (a mail attachment), naming it', () => {
    const files = { [`${ROOT}/src/render.ts`]: RESOLVED_TS.replace("then((file) => res.download(file, 'report.txt'), next)", "then((file) => res.json({ attachment: { path: file } }), next)") };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/render.ts`).refused?.reason).toBe("`res.json({ attachment: { path: file } })` (src/render.ts:17) uses the files' path in a way the fix cannot follow");
  });

  it('a write stream with options (an append) is refused', () => {
    const files = { [`${ROOT}/src/render.ts`]: RENDER_TS.replace("id + '.txt'))", "id + '.txt'), { flags: 'a' })") };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/render.ts`).refused?.reason).toBe("the write stream `fs.createWriteStream(…)` (src/render.ts:9) has options the object store has no counterpart for");
  });
});

describe('planFixes: Fastify, a multipart file piped to the folder that @fastify/static serves', () => {
  const files = {
    [`${ROOT}/src/app.ts`]: `import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import attachments, { uploadDir } from './attachments';
export async function buildApp() {
  const app = Fastify();
  await app.register(fastifyStatic, { root: uploadDir, prefix: '/files/' });
  await app.register(attachments);
  return app;
}
`,
    [`${ROOT}/src/attachments.ts`]: `import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync } from 'fastify';
export const uploadDir = process.env.UPLOAD_DIR || path.join(__dirname, '..', 'uploads');
const attachments: FastifyPluginAsync = async (fastify) => {
  fastify.post('/attachments', async (request, reply) => {
    const data = await request.file();
    if (!data) return reply.code(400).send({ error: 'No file' });
    const storedAs = \`\${Date.now()}-\${path.basename(data.filename)}\`;
    await pipeline(data.file, fs.createWriteStream(path.join(uploadDir, storedAs)));
    return reply.code(201).send({ url: \`/files/\${storedAs}\` });
  });
};
export default attachments;
`,
  };

  it("the upload streams to the store, and the static plugin becomes the adapter's fastifyObjectStatic, with the app's plugin as `local` for the files the app ships in the folder", () => {
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/attachments.ts`));
    expect(fixed[`${ROOT}/src/attachments.ts`]).toContain('    await objectStore.upload(objectKey(path.join(uploadDir, storedAs)), data.file);\n');
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(`import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import attachments, { uploadDir } from './attachments';
import { fastifyObjectStatic } from './scaling/object-store';
export async function buildApp() {
  const app = Fastify();
  await app.register(fastifyObjectStatic, { root: uploadDir, prefix: '/files/', local: fastifyStatic });
  await app.register(attachments);
  return app;
}
`);
  });

  it("CommonJS: the plugin required where it is registered (`register(require('@fastify/static'), …)`) becomes fastifyObjectStatic too", () => {
    const commonJs = {
      [`${ROOT}/src/server.js`]: `const path = require('path');
const fastify = require('fastify')();
const UPLOAD_DIR = process.env.UPLOAD_DIR || path.join(__dirname, '..', 'uploads');
fastify.register(require('@fastify/multipart'));
fastify.register(require('@fastify/static'), { root: UPLOAD_DIR, prefix: '/uploads/' });
fastify.register(require('./routes/photos'));
fastify.listen({ port: 3000 });
`,
      [`${ROOT}/src/routes/photos.js`]: `const fs = require('fs');
const path = require('path');
const { pipeline } = require('stream/promises');
const UPLOAD_DIR = process.env.UPLOAD_DIR || path.join(__dirname, '..', '..', 'uploads');
module.exports = async function photoRoutes(fastify) {
  fastify.post('/photos', async (request, reply) => {
    const file = await request.file();
    const name = Date.now() + path.extname(file.filename);
    await pipeline(file.file, fs.createWriteStream(path.join(UPLOAD_DIR, name)));
    return reply.code(201).send({ url: '/uploads/' + name });
  });
};
`,
    };
    const fixed = applyPlan(commonJs, movePlan(commonJs, 'no-local-disk-write', `${ROOT}/src/routes/photos.js`));
    expect(fixed[`${ROOT}/src/server.js`]).toBe(`const path = require('path');
const fastify = require('fastify')();
const { fastifyObjectStatic } = require('./scaling/object-store');
const UPLOAD_DIR = process.env.UPLOAD_DIR || path.join(__dirname, '..', 'uploads');
fastify.register(require('@fastify/multipart'));
fastify.register(fastifyObjectStatic, { root: UPLOAD_DIR, prefix: '/uploads/', local: require('@fastify/static') });
fastify.register(require('./routes/photos'));
fastify.listen({ port: 3000 });
`);
  });

  it('refuses when the static plugin has other options (decorateReply, setHeaders), naming it', () => {
    const withOptions = { ...files, [`${ROOT}/src/app.ts`]: files[`${ROOT}/src/app.ts`].replace("prefix: '/files/' }", "prefix: '/files/', decorateReply: true }") };
    expect(planFirst(withOptions, 'no-local-disk-write', `${ROOT}/src/attachments.ts`).refused?.reason).toBe(
      "`app.register(…)` (src/app.ts:6) serves the same files from this instance's disk with options the object store has no counterpart for",
    );
  });
});

describe('planFixes: NestJS on Fastify, @fastify/static registered with `serve: false` for the reply.sendFile of a download route', () => {
  const files = {
    [`${ROOT}/src/main.ts`]: `import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { UPLOAD_DIR } from './paths';
async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  await app.register(fastifyMultipart);
  await app.register(fastifyStatic, { root: UPLOAD_DIR, serve: false });
  await app.listen(3000);
}
bootstrap();
`,
    [`${ROOT}/src/paths.ts`]: `import { join } from 'path';
export const UPLOAD_DIR = process.env.UPLOAD_DIR || join(__dirname, '..', 'uploads');
`,
    [`${ROOT}/src/app.module.ts`]: `import { Module } from '@nestjs/common';
import { ScoresController } from './scores.controller';
@Module({ controllers: [ScoresController] })
export class AppModule {}
`,
    [`${ROOT}/src/scores.controller.ts`]: `import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { FastifyReply, FastifyRequest } from 'fastify';
import { createWriteStream } from 'fs';
import { extname, join } from 'path';
import { pipeline } from 'stream/promises';
import { UPLOAD_DIR } from './paths';
@Controller('scores')
export class ScoresController {
  @Post()
  async upload(@Req() req: FastifyRequest) {
    const part = await req.file();
    const fileName = \`\${randomUUID()}\${extname(part.filename)}\`;
    await pipeline(part.file, createWriteStream(join(UPLOAD_DIR, fileName)));
    return { fileName };
  }
  @Get(':name')
  download(@Param('name') name: string, @Res() reply: FastifyReply) {
    return reply.sendFile(name);
  }
}
`,
  };

  it("the registration becomes the adapter's fastifyObjectStatic with the app's plugin as `local`: reply.sendFile streams from the store, the disk's only for files the app ships", () => {
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/scores.controller.ts`));
    expect(fixed[`${ROOT}/src/scores.controller.ts`]).toContain('    await objectStore.upload(objectKey(join(UPLOAD_DIR, fileName)), part.file);\n');
    expect(fixed[`${ROOT}/src/main.ts`]).toBe(`import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { UPLOAD_DIR } from './paths';
import { fastifyObjectStatic } from './scaling/object-store';
async function bootstrap() {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter());
  await app.register(fastifyMultipart);
  await app.register(fastifyObjectStatic, { root: UPLOAD_DIR, serve: false, local: fastifyStatic });
  await app.listen(3000);
}
bootstrap();
`);
  });

  it('refuses `serve: false` beside other options (a prefix it would not serve, decorateReply), naming the registration', () => {
    const withOptions = { ...files, [`${ROOT}/src/main.ts`]: files[`${ROOT}/src/main.ts`].replace('serve: false }', "serve: false, prefix: '/files/' }") };
    expect(planFirst(withOptions, 'no-local-disk-write', `${ROOT}/src/scores.controller.ts`).refused?.reason).toBe(
      "`app.register(…)` (src/main.ts:10) serves the same files from this instance's disk with options the object store has no counterpart for",
    );
  });
});

describe('planFixes: formidable uploads (alone, under koa-body) stream to the store through fileWriteStreamHandler', () => {
  it("Koa: koa-body's formidable.uploadDir from an `export default` config; file.filepath, the delete and koa-static behind koa-mount move too", () => {
    const files = {
      [`${ROOT}/src/config.js`]: `import path from 'node:path';\nexport default { uploadDir: process.env.UPLOAD_DIR ?? path.join(process.cwd(), 'uploads') };\n`,
      [`${ROOT}/src/app.js`]: `import Koa from 'koa';
import serve from 'koa-static';
import mount from 'koa-mount';
import config from './config.js';
import photos from './photos.js';
const app = new Koa();
app.use(mount('/uploads', serve(config.uploadDir, { maxage: 3600000 })));
app.use(photos.routes());
export default app;
`,
      [`${ROOT}/src/photos.js`]: `import Router from '@koa/router';
import fs from 'node:fs/promises';
import { koaBody } from 'koa-body';
import config from './config.js';
const router = new Router({ prefix: '/api/photos' });
const upload = koaBody({ multipart: true, formidable: { uploadDir: config.uploadDir, keepExtensions: true } });
router.post('/', upload, async (ctx) => {
  const file = ctx.request.files?.photo;
  if (!file.mimetype.startsWith('image/')) {
    await fs.unlink(file.filepath);
    ctx.throw(415, 'only images');
  }
  ctx.body = { url: \`/uploads/\${file.newFilename}\` };
});
router.delete('/:name', async (ctx) => {
  await fs.unlink(\`\${config.uploadDir}/\${ctx.params.name}\`);
  ctx.status = 204;
});
export default router;
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/photos.js`));
    expect(fixed[`${ROOT}/src/photos.js`]).toBe(`import Router from '@koa/router';
import { koaBody } from 'koa-body';
import config from './config.js';
import { objectKey, objectStore } from './scaling/object-store.js';
const router = new Router({ prefix: '/api/photos' });
const upload = koaBody({ multipart: true, formidable: { uploadDir: config.uploadDir, fileWriteStreamHandler: (file) => objectStore.createWriteStream(file.filepath), keepExtensions: true } });
router.post('/', upload, async (ctx) => {
  const file = ctx.request.files?.photo;
  if (!file.mimetype.startsWith('image/')) {
    await objectStore.delete(objectKey(file.filepath));
    ctx.throw(415, 'only images');
  }
  ctx.body = { url: \`/uploads/\${file.newFilename}\` };
});
router.delete('/:name', async (ctx) => {
  await objectStore.delete(objectKey(\`\${config.uploadDir}/\${ctx.params.name}\`));
  ctx.status = 204;
});
export default router;
`);
    expect(fixed[`${ROOT}/src/app.js`]).toContain("app.use(mount('/uploads', koaServe(config.uploadDir, { maxage: 3600000 }, serve(config.uploadDir, { maxage: 3600000 }))));");
    expect(countFindings(fixed, 'no-local-disk-write')).toBe(0);
  });

  it("koa-send's `send(ctx, name, { root })` of the upload folder: the store's object, else koa-send from the disk; other options are refused", () => {
    const items = (sendCall: string): string => `import path from 'node:path';
import Router from '@koa/router';
import multer from '@koa/multer';
import send from 'koa-send';
const uploadDir = process.env.UPLOAD_DIR ?? 'uploads';
const upload = multer({ storage: multer.diskStorage({ destination: uploadDir, filename: (_req, file, cb) => cb(null, \`\${Date.now()}\${path.extname(file.originalname)}\`) }) });
const names = new Map<string, string>();
export const items = new Router();
items.post('/items/:id/photo', upload.single('photo'), async (ctx) => {
  names.set(ctx.params.id, ctx.file.filename);
  ctx.status = 201;
});
items.get('/items/:id/photo', async (ctx) => {
  const name = names.get(ctx.params.id);
  if (!name) return ctx.throw(404);
  await ${sendCall};
});
`;
    const files = { [`${ROOT}/src/items.ts`]: items('send(ctx, name, { root: uploadDir, maxage: 60000 })') };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/items.ts`))[`${ROOT}/src/items.ts`];
    expect(fixed).toContain("import { koaSend, objectStorage } from './scaling/object-store';\n");
    expect(fixed).toContain('  await koaSend(ctx, name, { root: uploadDir, maxage: 60000 }, send);\n');
    expect(countFindings({ [`${ROOT}/src/items.ts`]: fixed }, 'no-local-disk-write')).toBe(0);
    const gzip = { [`${ROOT}/src/items.ts`]: items('send(ctx, name, { root: uploadDir, gzip: true })') };
    expect(planFirst(gzip, 'no-local-disk-write', `${ROOT}/src/items.ts`).refused?.reason).toBe(
      "`send(ctx, name, { root: uploadDir, gzip: true })` (src/items.ts:16) serves the same files from this instance's disk with options the object store has no counterpart for",
    );
  });

  it('koa-static with options the store has no counterpart for (hidden files, gzip) is refused, naming it', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `import Koa from 'koa';\nimport serve from 'koa-static';\nimport { koaBody } from 'koa-body';\nconst app = new Koa();\napp.use(serve('uploads', { hidden: true }));\napp.use(koaBody({ multipart: true, formidable: { uploadDir: 'uploads' } }));\nexport default app;\n`,
    };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe("`serve('uploads', { hidden: true })` (src/app.js:5) serves the same files from this instance's disk with options the object store has no counterpart for");
  });

  it('Next.js pages/api: formidable({ uploadDir }) with bodyParser off, and the other route\'s existsSync + createReadStream', () => {
    const files = {
      [`${ROOT}/lib/uploads.js`]: `import path from 'path';\nexport const UPLOAD_DIR = path.join(process.cwd(), 'uploads');\n`,
      [`${ROOT}/pages/api/media/index.js`]: `import formidable from 'formidable';
import { UPLOAD_DIR } from '../../../lib/uploads';
export const config = { api: { bodyParser: false } };
export default async function handler(req, res) {
  const form = formidable({ uploadDir: UPLOAD_DIR, keepExtensions: true });
  const [, files] = await form.parse(req);
  res.status(201).json({ url: \`/api/media/\${files.file[0].newFilename}\` });
}
`,
      [`${ROOT}/pages/api/media/[name].js`]: `import fs from 'fs';
import path from 'path';
import { UPLOAD_DIR } from '../../../lib/uploads';
export default function handler(req, res) {
  const file = path.join(UPLOAD_DIR, path.basename(req.query.name));
  if (!fs.existsSync(file)) return res.status(404).json({ error: 'Not found' });
  fs.createReadStream(file).pipe(res);
}
`,
    };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/pages/api/media/index.js`));
    expect(fixed[`${ROOT}/pages/api/media/index.js`]).toContain('  const form = formidable({ uploadDir: UPLOAD_DIR, fileWriteStreamHandler: (file) => objectStore.createWriteStream(file.filepath), keepExtensions: true });');
    expect(fixed[`${ROOT}/pages/api/media/[name].js`]).toBe(`import path from 'path';
import { UPLOAD_DIR } from '../../../lib/uploads';
import { objectStore } from '../../../src/scaling/object-store.js';
export default async function handler(req, res) {
  const file = path.join(UPLOAD_DIR, path.basename(req.query.name));
  if (!(await objectStore.stat(file).then(() => true, () => false))) return res.status(404).json({ error: 'Not found' });
  objectStore.createReadStream(file).pipe(res);
}
`);
  });
});

// ESM TypeScript: the folder is `new URL('../uploads', import.meta.url)` in a config module that also
// reads its own JSON beside it at start-up; the export reads every file inside `rows.map`, over rows
// typed the way postgres.js types them (an array with more to it).

const CONFIG_ESM_TS = `import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const limits = JSON.parse(readFileSync(new URL('../config/limits.json', import.meta.url), 'utf8'));
export const config = {
  uploadDir: process.env.UPLOAD_DIR ?? fileURLToPath(new URL('../uploads', import.meta.url)),
  limits,
};
`;

const PINS_ESM_TS = `import express from 'express';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { config } from './config.js';
type Rows<T> = T[] & Iterable<T> & { count: number };
declare function storedFiles(): Promise<Rows<{ name: string }>>;
export const app = express();
app.post('/pins/:name', async (req, res) => {
  await writeFile(path.join(config.uploadDir, req.params.name), String(req.body.text));
  res.status(201).end();
});
app.get('/export', async (req, res) => {
  const files = await storedFiles();
  res.json(files.map((file) => ({ name: file.name, content: readFileSync(path.join(config.uploadDir, file.name)).toString('base64') })));
});
`;

describe('planFixes: an ESM upload folder beside the module, read back inside rows.map', () => {
  it("`../uploads` names the folder `uploads`, not `..`: the start-up read of ../config/limits.json stays; the map's reads run together", () => {
    const files = { [`${ROOT}/src/config.ts`]: CONFIG_ESM_TS, [`${ROOT}/src/pins.ts`]: PINS_ESM_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/pins.ts`));
    expect(fixed[`${ROOT}/src/config.ts`]).toBe(CONFIG_ESM_TS);
    expect(fixed[`${ROOT}/src/pins.ts`]).toBe(
      PINS_ESM_TS.replace("import { readFileSync } from 'node:fs';\nimport { writeFile } from 'node:fs/promises';\n", '')
        .replace("import { config } from './config.js';\n", "import { config } from './config.js';\nimport { objectStore } from './scaling/object-store.js';\n")
        .replace('await writeFile(path.join(config.uploadDir, req.params.name), String(req.body.text));', 'await objectStore.putFile(path.join(config.uploadDir, req.params.name), String(req.body.text));')
        .replace(
          "res.json(files.map((file) => ({ name: file.name, content: readFileSync(path.join(config.uploadDir, file.name)).toString('base64') })));",
          "res.json(await Promise.all(files.map(async (file) => ({ name: file.name, content: (await objectStore.getFile(path.join(config.uploadDir, file.name))).toString('base64') }))));",
        ),
    );
    expect(countFindings(fixed, 'no-local-disk-write')).toBe(0);
  });
});

// ESM's `__dirname`: the config names the upload folder and its own settings file from the module's folder.
const HERE_CONFIG_JS = `import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const shop = JSON.parse(readFileSync(path.join(here, 'shop.json'), 'utf8'));

const config = {
  uploadDir: process.env.UPLOAD_DIR || path.join(here, '..', 'uploads'),
  shop,
};

export default config;
`;

const PHOTOS_JS = `import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import config from '../config.js';

export default async function photoRoutes(fastify) {
  fastify.post('/photos/:name', async (request, reply) => {
    const data = await request.file();
    await pipeline(data.file, createWriteStream(path.join(config.uploadDir, request.params.name)));
    return reply.code(201).send({ ok: true });
  });
  fastify.get('/photos/:name', async (request, reply) => {
    return reply.type('image/png').send(await readFile(path.join(config.uploadDir, request.params.name)));
  });
}
`;

describe("planFixes: an ESM module's own folder (`path.dirname(fileURLToPath(import.meta.url))`) names no set of files", () => {
  const files = { [`${ROOT}/src/config.js`]: HERE_CONFIG_JS, [`${ROOT}/src/routes/photos.js`]: PHOTOS_JS };

  it('the start-up read of shop.json beside the config stays; the upload and its reader move', () => {
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/routes/photos.js`));
    expect(fixed[`${ROOT}/src/config.js`]).toBe(HERE_CONFIG_JS);
    expect(fixed[`${ROOT}/src/routes/photos.js`]).toBe(
      PHOTOS_JS.replace("import { createWriteStream } from 'node:fs';\nimport { readFile } from 'node:fs/promises';\n", '')
        .replace("import { pipeline } from 'node:stream/promises';\n", '')
        .replace("import config from '../config.js';\n", "import config from '../config.js';\nimport { objectKey, objectStore } from '../scaling/object-store.js';\n")
        .replace('await pipeline(data.file, createWriteStream(path.join(config.uploadDir, request.params.name)));', 'await objectStore.upload(objectKey(path.join(config.uploadDir, request.params.name)), data.file);')
        .replace('await readFile(path.join(config.uploadDir, request.params.name))', 'await objectStore.getFile(path.join(config.uploadDir, request.params.name))'),
    );
  });

  it("the package's folder above the module's (`path.resolve(<the module's folder>, '..')`) names no set of files either: cafe.json read there at start-up stays", () => {
    const above = (root: string): string => `import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = ${root};
const cafe = JSON.parse(await readFile(path.join(root, 'cafe.json'), 'utf8'));

const config = {
  uploadDir: process.env.UPLOAD_DIR ?? path.join(root, 'uploads'),
  cafe,
};

export default config;
`;
    for (const root of ["path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')", "path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..')"]) {
      const aboveFiles = { [`${ROOT}/src/config.js`]: above(root), [`${ROOT}/src/routes/photos.js`]: PHOTOS_JS };
      const fixed = applyPlan(aboveFiles, movePlan(aboveFiles, 'no-local-disk-write', `${ROOT}/src/routes/photos.js`));
      expect(fixed[`${ROOT}/src/config.js`]).toBe(above(root));
      expect(fixed[`${ROOT}/src/routes/photos.js`]).toContain('await objectStore.getFile(path.join(config.uploadDir, request.params.name))');
    }
  });

  it('a start-up read of a file in the upload folder itself is still refused, naming it', () => {
    const banner = PHOTOS_JS.replace("import { readFile } from 'node:fs/promises';", "import { readFile } from 'node:fs/promises';\nimport { readFileSync } from 'node:fs';").replace(
      'export default async function',
      "export const banner = readFileSync(path.join(config.uploadDir, 'banner.png'));\n\nexport default async function",
    );
    expect(planFirst({ ...files, [`${ROOT}/src/routes/photos.js`]: banner }, 'no-local-disk-write', `${ROOT}/src/routes/photos.js`).refused?.reason).toBe('it is used at module scope (src/routes/photos.js:8)');
  });
});

const SETTINGS_CONFIG = `'use strict';
const path = require('path');
module.exports = {
  port: Number(process.env.PORT) || 3000,
  uploadDir: process.env.UPLOAD_DIR || path.join(__dirname, 'uploads'),
};
`;

const ROOM_PHOTOS = `'use strict';
const express = require('express');
const path = require('path');
const multer = require('multer');
const config = require('../config');

const router = express.Router();
const storage = multer.diskStorage({
  destination: config.uploadDir,
  filename: (req, file, cb) => cb(null, \`room-\${req.params.id}\${path.extname(file.originalname)}\`),
});
const upload = multer({ storage });

router.post('/:id/photo', upload.single('photo'), (req, res) => {
  res.status(201).json({ photo: \`/uploads/\${req.file.filename}\` });
});

module.exports = router;
`;

const PHOTO_SERVER = `'use strict';
const express = require('express');
const config = require('./config');

const app = express();
app.use('/uploads', express.static(config.uploadDir));
app.use('/api/rooms', require('./routes/rooms'));
app.listen(config.port);
`;

describe('multer diskStorage whose destination is a setting of a required config module', () => {
  const files = { [`${ROOT}/config.js`]: SETTINGS_CONFIG, [`${ROOT}/routes/rooms.js`]: ROOM_PHOTOS, [`${ROOT}/server.js`]: PHOTO_SERVER };
  it('moves to the object store with the express.static of the same setting', () => {
    const plan = movePlan(files, 'no-local-disk-write', `${ROOT}/routes/rooms.js`);
    const fixed = applyPlan(files, plan);
    expect(plan.createFiles.map((file) => file.fileName)).toEqual([`${ROOT}/src/scaling/object-store.js`]);
    expect(fixed[`${ROOT}/routes/rooms.js`]).toBe(
      ROOM_PHOTOS.replace("const config = require('../config');\n", "const config = require('../config');\nconst { objectStorage } = require('../src/scaling/object-store');\n").replace('multer.diskStorage({', 'objectStorage({'),
    );
    expect(fixed[`${ROOT}/server.js`]).toBe(
      PHOTO_SERVER.replace("const config = require('./config');\n", "const config = require('./config');\nconst { serveStatic } = require('./src/scaling/object-store');\n").replace('express.static(config.uploadDir)', 'express.static(config.uploadDir), serveStatic(config.uploadDir)'),
    );
  });

  it('a destination read from a parameter names no module setting: refused as before (the look-alike)', () => {
    const factory = ROOM_PHOTOS.replace('const storage = multer.diskStorage({\n  destination: config.uploadDir,', 'const storageIn = (settings) => multer.diskStorage({\n  destination: settings.uploadDir,').replace('const upload = multer({ storage });', 'const upload = multer({ storage: storageIn(config) });');
    expect(planFirst({ ...files, [`${ROOT}/routes/rooms.js`]: factory }, 'no-local-disk-write', `${ROOT}/routes/rooms.js`).refused?.reason).toBe('the path names no folder or path function, so the other uses of the same files cannot be found');
  });
});

describe('planFixes: uploads into a folder inside the one express.static serves', () => {
  const SERVER = `const express = require('express');
const path = require('path');
const multer = require('multer');
const app = express();
const AVATAR_DIR = path.join(__dirname, 'public', 'avatars');
const storage = multer.diskStorage({
  destination: AVATAR_DIR,
  filename: (req, file, cb) => cb(null, req.params.name + path.extname(file.originalname)),
});
const upload = multer({ storage });
app.use(express.static(path.join(__dirname, 'public')));
app.use('/assets', express.static(path.join(__dirname, 'assets')));
app.post('/players/:name/avatar', upload.single('avatar'), (req, res) => {
  res.json({ url: '/avatars/' + req.file.filename });
});
module.exports = app;
`;
  it('the static middleware of `public` also answers from the store (the avatars are there now); the one of a sibling folder stays as it is', () => {
    const files = { [`${ROOT}/server.js`]: SERVER };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/server.js`))[`${ROOT}/server.js`];
    expect(fixed).toContain("app.use(express.static(path.join(__dirname, 'public')), serveStatic(path.join(__dirname, 'public')));\napp.use('/assets', express.static(path.join(__dirname, 'assets')));\n");
  });
});

// A layered TypeScript service declares what its functions return: the store's streams are plain
// `Readable`/`Writable`s, so an annotation naming fs's own stream class that the moved call's value
// lands in names the stream class (without it the fix added a type error and was refused).
const ATTACHMENTS_TS = `import express from 'express';
import fs from 'fs';
import path from 'path';
const UPLOAD_DIR = path.join(__dirname, 'uploads');
export function save(name: string): fs.WriteStream {
  return fs.createWriteStream(path.join(UPLOAD_DIR, name));
}
export async function open(name: string): Promise<{ name: string; stream: fs.ReadStream }> {
  return { name, stream: fs.createReadStream(path.join(UPLOAD_DIR, name)) };
}
export function logTo(out: fs.WriteStream): void {
  out.write('opened\\n');
}
export const app = express();
app.post('/files/:name', (req, res) => {
  req.pipe(save(req.params.name)).on('finish', () => res.status(201).end());
});
app.get('/files/:name', async (req, res) => {
  (await open(req.params.name)).stream.pipe(res);
});
`;

describe('planFixes: declared fs stream types of the moved streams', () => {
  it("a declared return type naming fs.ReadStream / fs.WriteStream names the store's Readable / Writable, imported from node:stream; a parameter typed fs.WriteStream that no moved stream reaches stays", () => {
    const files = { [`${ROOT}/src/attachments.ts`]: ATTACHMENTS_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/attachments.ts`));
    expect(fixed[`${ROOT}/src/attachments.ts`]).toBe(`import express from 'express';
import fs from 'fs';
import path from 'path';
import { objectStore } from './scaling/object-store';
import { Readable, Writable } from 'node:stream';
const UPLOAD_DIR = path.join(__dirname, 'uploads');
export function save(name: string): Writable {
  return objectStore.createWriteStream(path.join(UPLOAD_DIR, name));
}
export async function open(name: string): Promise<{ name: string; stream: Readable }> {
  return { name, stream: objectStore.createReadStream(path.join(UPLOAD_DIR, name)) };
}
export function logTo(out: fs.WriteStream): void {
  out.write('opened\\n');
}
export const app = express();
app.post('/files/:name', (req, res) => {
  req.pipe(save(req.params.name)).on('finish', () => res.status(201).end());
});
app.get('/files/:name', async (req, res) => {
  (await open(req.params.name)).stream.pipe(res);
});
`);
  });

  it('a variable annotated with ReadStream imported from fs, in a file that already imports Readable from stream, reuses that import', () => {
    const source = `import express from 'express';
import { createReadStream, createWriteStream, ReadStream } from 'fs';
import { Readable } from 'stream';
import path from 'path';
const UPLOAD_DIR = path.join(__dirname, 'uploads');
export function open(name: string): Readable {
  const stream: ReadStream = createReadStream(path.join(UPLOAD_DIR, name));
  return stream;
}
export const app = express();
app.post('/files/:name', (req, res) => {
  req.pipe(createWriteStream(path.join(UPLOAD_DIR, req.params.name))).on('finish', () => res.status(201).end());
});
app.get('/files/:name', (req, res) => {
  open(req.params.name).pipe(res);
});
`;
    const files = { [`${ROOT}/src/attachments.ts`]: source };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/attachments.ts`));
    expect(fixed[`${ROOT}/src/attachments.ts`]).toBe(`import express from 'express';
import { Readable } from 'stream';
import path from 'path';
import { objectKey, objectStore } from './scaling/object-store';
const UPLOAD_DIR = path.join(__dirname, 'uploads');
export function open(name: string): Readable {
  const stream: Readable = objectStore.createReadStream(path.join(UPLOAD_DIR, name));
  return stream;
}
export const app = express();
app.post('/files/:name', (req, res) => {
  objectStore.upload(objectKey(path.join(UPLOAD_DIR, req.params.name)), req).then(() => res.status(201).end());
});
app.get('/files/:name', (req, res) => {
  open(req.params.name).pipe(res);
});
`);
  });

  it('leaves the annotation when another Readable is in scope (the fix then stands or falls by its type check)', () => {
    const source = ATTACHMENTS_TS.replace("import path from 'path';", "import path from 'path';\nimport { Readable } from './readable';");
    const files = { [`${ROOT}/src/attachments.ts`]: source, [`${ROOT}/src/readable.ts`]: 'export type Readable = { kind: string };\n' };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/attachments.ts`));
    expect(fixed[`${ROOT}/src/attachments.ts`]).toContain('export async function open(name: string): Promise<{ name: string; stream: fs.ReadStream }> {');
    expect(fixed[`${ROOT}/src/attachments.ts`]).toContain('export function save(name: string): Writable {');
  });
});

describe('planFixes: a JSON file kept as the app\'s database', () => {
  // A small app's store: one file under a module constant, loaded and saved whole by each request.
  const files = {
    [`${ROOT}/src/store.js`]: `const fs = require('fs');
const path = require('path');

const DB_FILE = path.join(__dirname, '..', 'data', 'db.json');

function load() {
  if (!fs.existsSync(DB_FILE)) return { notes: [], nextId: 1 };
  return JSON.parse(fs.readFileSync(DB_FILE, 'utf8'));
}

function save(data) {
  fs.mkdirSync(path.dirname(DB_FILE), { recursive: true });
  fs.writeFileSync(DB_FILE, JSON.stringify(data, null, 2));
}

module.exports = { load, save };
`,
    [`${ROOT}/src/app.js`]: `const express = require('express');
const store = require('./store');
const app = express();
app.use(express.json());
app.post('/notes', (req, res) => {
  const data = store.load();
  const note = { id: data.nextId++, text: req.body.text };
  data.notes.push(note);
  store.save(data);
  res.status(201).json(note);
});
module.exports = app;
`,
  };

  it('the same with the file beside the module (`path.join(__dirname, \'data\', \'db.json\')`): a constant path ending in a file name is not the folder either', () => {
    const beside = { ...files, [`${ROOT}/src/store.js`]: files[`${ROOT}/src/store.js`].replace("path.join(__dirname, '..', 'data', 'db.json')", "path.join(__dirname, 'data', 'db.json')") };
    const fixed = applyPlan(beside, movePlan(beside, 'no-local-disk-write', `${ROOT}/src/store.js`))[`${ROOT}/src/store.js`];
    expect(fixed).toContain('  if (!(await objectStore.stat(DB_FILE).then(() => true, () => false))) return { notes: [], nextId: 1 };\n');
  });

  it('the check that the file exists moves with its reads and writes: a module constant ending in a file name is that file, not a folder', () => {
    const plan = movePlan(files, 'no-local-disk-write', `${ROOT}/src/store.js`);
    expect(applyPlan(files, plan)[`${ROOT}/src/store.js`]).toBe(`const fs = require('fs');
const path = require('path');
const { objectStore } = require('./scaling/object-store');

const DB_FILE = path.join(__dirname, '..', 'data', 'db.json');

async function load() {
  if (!(await objectStore.stat(DB_FILE).then(() => true, () => false))) return { notes: [], nextId: 1 };
  return JSON.parse(await objectStore.getFile(DB_FILE).then((data) => data.toString('utf8')));
}

async function save(data) {
  fs.mkdirSync(path.dirname(DB_FILE), { recursive: true });
  await objectStore.putFile(DB_FILE, JSON.stringify(data, null, 2));
}

module.exports = { load, save };
`);
  });
});

// A delete on a request path whose files are written somewhere the fix does not start from (a
// background import, another service): the refusal says where the fix is offered instead.
describe('planFixes: a delete of stored files on its own', () => {
  it('is refused with where the fix is offered: the write the delete then moves with', () => {
    const files = {
      [`${ROOT}/src/app.js`]: `const express = require('express');
const fs = require('fs');
const app = express();
app.delete('/exports/:name', async (req, res) => {
  await fs.promises.unlink('exports/' + req.params.name);
  res.status(204).end();
});
module.exports = app;
`,
    };
    const { findings } = findingsIn(files, 'no-local-disk-write', `${ROOT}/src/app.js`);
    expect(findings.map((finding) => finding.messageId)).toEqual(['diskRemove']);
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe(
      "`fs.promises.unlink` only deletes: the object-store fix moves a file's write together with its reads and deletes, so it is offered where these files are written; once that write moves, this delete moves with it",
    );
  });
});

// A path logged is not a file opened; a name's literal start is not a folder.
describe('planFixes: what names the files a write puts on disk', () => {
  const EXPORTS_TS = `import express from 'express';
import { createReadStream, createWriteStream } from 'fs';
import { join } from 'path';

const EXPORT_DIR = join(__dirname, 'exports');
const log = { debug: (message: string) => process.stdout.write(message + '\\n') };
const app = express();

app.post('/exports/:user', (req, res) => {
  const file = join(EXPORT_DIR, req.params.user + '.csv');
  log.debug(\`writing the export to \${file}\`);
  createWriteStream(file).end('id,name\\n');
  res.status(202).json({ file: req.params.user + '.csv' });
});

app.get('/exports/:name', (req, res) => {
  createReadStream(join(EXPORT_DIR, req.params.name)).pipe(res);
});

export default app;
`;

  it('a path written to a log is not a use of the files: the write and the read move', () => {
    const files = { [`${ROOT}/src/app.ts`]: EXPORTS_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.ts`))[`${ROOT}/src/app.ts`];
    expect(fixed).toContain("  log.debug(`writing the export to ${file}`);\n  objectStore.createWriteStream(file).end('id,name\\n');\n");
    expect(fixed).toContain('  objectStore.createReadStream(join(EXPORT_DIR, req.params.name)).pipe(res);\n');
  });

  it("a name's literal start (`export_` of `export_${id}.zip`) under a folder it cannot name is no folder: refused, not half moved", () => {
    const unnamed = EXPORTS_TS.replace("const EXPORT_DIR = join(__dirname, 'exports');\n", '')
      .replace('const file = join(EXPORT_DIR, req.params.user + \'.csv\');', 'const config = req.app.locals.config;\n  const file = join(config.exportDir, `export_${req.params.user}.zip`);')
      .replace('join(EXPORT_DIR, req.params.name)', 'join(req.app.locals.config.exportDir, req.params.name)');
    expect(planFirst({ [`${ROOT}/src/app.ts`]: unnamed }, 'no-local-disk-write', `${ROOT}/src/app.ts`).refused?.reason).toBe('the path names no folder or path function, so the other uses of the same files cannot be found');
  });
});

describe('planFixes: the files handed on to what opens them on this disk', () => {
  const withRoute = (route: string, imports = ''): Record<string, string> => ({ [`${ROOT}/src/app.js`]: `${imports}${NOTES_JS.replace('module.exports = app;', `${route}\nmodule.exports = app;`)}` });

  it("refuses when a package opens the path (a log tail), and moves the files when the package only reads the name (a MIME type's lookup)", () => {
    const tail = withRoute("app.get('/notes/:id/tail', async (req, res) => res.send(await readLastLines.read(path.join(UPLOAD_DIR, req.params.id + '.txt'), 5)));", "const readLastLines = require('read-last-lines');\n");
    expect(planFirst(tail, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe(
      "`readLastLines.read(…)` (src/app.js:25) opens the same files on this instance's disk through `read-last-lines`, and the fix cannot move it",
    );
    const typed = withRoute("app.head('/notes/:id', (req, res) => res.type(mime.lookup(path.join(UPLOAD_DIR, req.params.id + '.txt'))).end());", "const mime = require('mime-types');\n");
    const fixed = applyPlan(typed, movePlan(typed, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain("app.head('/notes/:id', (req, res) => res.type(mime.lookup(path.join(UPLOAD_DIR, req.params.id + '.txt'))).end());");
    expect(fixed[`${ROOT}/src/app.js`]).toContain('objectStore.putFile(file, req.body.text)');
  });

  it('refuses when another program is given the path: a child process, or a list of command-line flags', () => {
    const spawned = withRoute("app.post('/notes/:id/pdf', (req, res, next) => execFile('pandoc', [path.join(UPLOAD_DIR, req.params.id + '.txt'), '-o', 'out.pdf'], (err) => (err ? next(err) : res.end())));", "const { execFile } = require('child_process');\n");
    expect(planFirst(spawned, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe(
      "`execFile(…)` (src/app.js:25) hands the same files to another program as a command-line argument, and that program opens them on this instance's disk",
    );
    const flagged = withRoute("function pandocArguments(id) {\n  const args = ['-s'];\n  args.push('--include-in-header', path.join(UPLOAD_DIR, id + '.txt'));\n  return args;\n}");
    expect(planFirst(flagged, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe(
      "`args.push(…)` (src/app.js:26) hands the same files to another program as a command-line argument, and that program opens them on this instance's disk",
    );
  });

  it("refuses files written straight into the code's own folder under computed names, and moves a named data folder beside it", () => {
    const updater = `const express = require('express');
const fs = require('fs');
const path = require('path');
const app = express();
app.post('/admin/update', (req, res) => {
  for (const entry of req.body.files) {
    const fileName = entry.name.replace('release/', '');
    fs.writeFileSync(path.join(__dirname, fileName), entry.text);
  }
  res.send('updated');
});
module.exports = app;
`;
    // The name comes from a request (`.replace('release/', '')` names no folder): nothing tells the other uses of these files.
    expect(planFirst({ [`${ROOT}/app.js`]: updater }, 'no-local-disk-write', `${ROOT}/app.js`).refused?.reason).toBe(
      'the path names no folder or path function, so the other uses of the same files cannot be found',
    );
    const named = { [`${ROOT}/app.js`]: updater.replace("const fileName = entry.name.replace('release/', '');", 'const fileName = releaseFile(entry.name);').replace('module.exports = app;', "function releaseFile(name) {\n  return name.replace('release/', '');\n}\nmodule.exports = app;") };
    expect(planFirst(named, 'no-local-disk-write', `${ROOT}/app.js`).refused?.reason).toBe(
      "the files go straight into the folder of the app's own code (`__dirname`) under names the code computes: its modules and package.json are there too, and must stay on this disk",
    );
    const data = { [`${ROOT}/app.js`]: updater.replace("path.join(__dirname, fileName)", "path.join(__dirname, 'data', fileName)") };
    expect(applyPlan(data, movePlan(data, 'no-local-disk-write', `${ROOT}/app.js`))[`${ROOT}/app.js`]).toContain("objectStore.putFile(path.join(__dirname, 'data', fileName), entry.text)");
  });
});

describe('planFixes: a Next.js route handler answers with the name of the file it wrote', () => {
  // The upload route of the corpus's climbing-gym app.
  const UPLOAD_TS = `import { NextResponse } from 'next/server';
import { mkdir, writeFile } from 'fs/promises';
import path from 'path';
import { db } from '../../../../../lib/db';
import { UPLOAD_DIR } from '../../../../../lib/config';

const IMAGE_TYPES: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
};

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const formData = await request.formData();
  const file = formData.get('photo');
  if (!(file instanceof File)) return NextResponse.json({ error: 'photo is required' }, { status: 400 });
  const extension = IMAGE_TYPES[file.type];
  if (!extension) return NextResponse.json({ error: 'Photos must be JPEG, PNG or WebP' }, { status: 415 });

  const fileName = \`route-\${id}-\${Date.now()}\${extension}\`;
  await mkdir(UPLOAD_DIR, { recursive: true });
  await writeFile(path.join(UPLOAD_DIR, fileName), Buffer.from(await file.arrayBuffer()));

  const photo = \`/api/photos/\${fileName}\`;
  const { rowCount } = await db.query('UPDATE routes SET photo = $1 WHERE id = $2', [photo, Number(id)]);
  if (!rowCount) return NextResponse.json({ error: 'No such route' }, { status: 404 });
  return NextResponse.json({ photo }, { status: 201 });
}
`;
  const withLibs = (route: string): Record<string, string> => ({
    [`${ROOT}/app/api/routes/[id]/photo/route.ts`]: route,
    [`${ROOT}/lib/db.ts`]: "import { Pool } from 'pg';\nexport const db = new Pool();\n",
    [`${ROOT}/lib/config.ts`]: "import path from 'path';\nexport const UPLOAD_DIR = process.env.UPLOAD_DIR || path.join(process.cwd(), 'uploads');\n",
  });

  it('`NextResponse.json({ photo })` sends the URL holding the name, it opens nothing: the write moves', () => {
    const files = withLibs(UPLOAD_TS);
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/app/api/routes/[id]/photo/route.ts`))[`${ROOT}/app/api/routes/[id]/photo/route.ts`];
    expect(fixed).toContain('  await objectStore.putFile(path.join(UPLOAD_DIR, fileName), Buffer.from(await file.arrayBuffer()));\n');
    expect(fixed).toContain('  return NextResponse.json({ photo }, { status: 201 });\n');
  });

  it('a package that opens the same path is still refused (sharp reads the file it is given)', () => {
    const resized = UPLOAD_TS.replace("import path from 'path';\n", "import path from 'path';\nimport sharp from 'sharp';\n").replace('  const photo =', '  await sharp(path.join(UPLOAD_DIR, fileName)).resize(200).toFile(path.join(UPLOAD_DIR, `thumb-${fileName}`));\n  const photo =');
    expect(planFirst(withLibs(resized), 'no-local-disk-write', `${ROOT}/app/api/routes/[id]/photo/route.ts`).refused?.reason).toMatch(/opens the same files on this instance's disk through `sharp`/);
  });
});

// From the legacy apps corpus (bike-workshop): @koa/multer is multer under Koa, with the same storage
// engines. Its `multer({ storage })` was taken for a package that opens the files on this disk, and
// once passed, a `filename` callback reading `file.mimetype` was a type error against the engine's
// file type.
const KOA_PHOTOS_TS = `import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import multer from '@koa/multer';
const UPLOAD_DIR = process.env.UPLOAD_DIR || path.join(__dirname, 'uploads');
const EXTENSIONS: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg' };
const storage = multer.diskStorage({
  destination: (_req, _file, cb) => cb(null, UPLOAD_DIR),
  filename: (_req, file, cb) => cb(null, \`\${Date.now()}\${EXTENSIONS[file.mimetype] || ''}\`),
});
const upload = multer({ storage });
export const router = new Router();
router.post('/photos', upload.single('photo'), (ctx) => {
  ctx.body = { name: ctx.request.file.filename };
});
router.get('/photos/:name', (ctx) => {
  ctx.body = fs.createReadStream(path.join(UPLOAD_DIR, ctx.params.name));
});
`;

describe('planFixes: @koa/multer disk storage', () => {
  it("becomes the object store's engine like multer's, its filename callback still reading the file's mimetype; the read moves with it", () => {
    const files = { [`${ROOT}/src/photos.ts`]: KOA_PHOTOS_TS };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/photos.ts`));
    expect(fixed[`${ROOT}/src/photos.ts`]).toBe(`import path from 'node:path';
import Router from '@koa/router';
import multer from '@koa/multer';
import { objectStorage, objectStore } from './scaling/object-store';
const UPLOAD_DIR = process.env.UPLOAD_DIR || path.join(__dirname, 'uploads');
const EXTENSIONS: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg' };
const storage = objectStorage({
  destination: (_req, _file, cb) => cb(null, UPLOAD_DIR),
  filename: (_req, file, cb) => cb(null, \`\${Date.now()}\${EXTENSIONS[file.mimetype] || ''}\`),
});
const upload = multer({ storage });
export const router = new Router();
router.post('/photos', upload.single('photo'), (ctx) => {
  ctx.body = { name: ctx.request.file.filename };
});
router.get('/photos/:name', (ctx) => {
  ctx.body = objectStore.createReadStream(path.join(UPLOAD_DIR, ctx.params.name));
});
`);
  });
});

// A library's object given the moved path (`zip.addLocalFile(file)`, pdfkit's `doc.image(file)`): the
// method may open the file on this disk, where it no longer is. Untyped (no types for the package) and
// typed (its declaration file says nothing about what it does with the path) alike.
describe('a moved path given to a method of a library object', () => {
  const REPORTS_JS = `const express = require('express');
const fs = require('fs');
const path = require('path');
const AdmZip = require('adm-zip');
const app = express();
const REPORT_DIR = path.join(__dirname, 'reports');
app.post('/reports/:id', (req, res, next) => {
  const file = path.join(REPORT_DIR, req.params.id + '.csv');
  fs.writeFile(file, req.body.csv, (err) => {
    if (err) return next(err);
`;
  const END = `  });
});
module.exports = app;
`;

  it('refuses an untyped library object’s method given the path, naming the method and the package', () => {
    const files = { [`${ROOT}/src/app.js`]: `${REPORTS_JS}    const zip = new AdmZip();\n    zip.addLocalFile(file);\n    res.type('zip').send(zip.toBuffer());\n${END}` };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe("`zip.addLocalFile(file)` (src/app.js:12) passes the same files to `addLocalFile` of `adm-zip`, which may open them on this instance's disk: the fix cannot tell, so it moves none of them");
  });

  it('refuses a typed library method given the path, whatever its declaration file says', () => {
    const files = {
      [`${ROOT}/node_modules/pdfkit/index.d.ts`]: 'declare class PDFDocument { image(src: string, x?: number, y?: number): this; text(text: string): this; end(): void; }\nexport = PDFDocument;\n',
      [`${ROOT}/src/app.ts`]: `import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
export const app = express();
const LOGO_DIR = path.join(__dirname, 'logos');
app.put('/logo/:id', (req, res, next) => {
  const logo = path.join(LOGO_DIR, \`\${req.params.id}.png\`);
  fs.writeFile(logo, req.body, (err) => {
    if (err) return next(err);
    const doc = new PDFDocument();
    doc.image(logo, 10, 10).text('Invoice');
    doc.end();
    res.status(201).end();
  });
});
`,
    };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.ts`).refused?.reason).toBe("`doc.image(logo, 10, 10)` (src/app.ts:12) passes the same files to `image` of `pdfkit`, which may open them on this instance's disk: the fix cannot tell, so it moves none of them");
  });

  it('moves the write when the path is only kept, compared or sent as a name (lists, maps, responses, rows, routes, plugins)', () => {
    const files = { [`${ROOT}/src/app.js`]: `${REPORTS_JS}    recent.push(file);\n    seen.set(req.params.id, file);\n    if (file.endsWith('.csv')) db.query('INSERT INTO reports (path) VALUES ($1)', [file]);\n    app.use('/reports', routes);\n    res.status(201).json(file);\n${END}const recent = [];\nconst seen = new Map();\nconst db = require('./db');\nconst routes = express.Router();\n` };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain(`  callbackify(() => objectStore.putFile(file, req.body.csv))((err) => {
    if (err) return next(err);
    recent.push(file);
    seen.set(req.params.id, file);
`);
  });
});

// A function of the program that writes a file and calls back with its path (`callback(null, file)`,
// Node's callback style): what each caller's callback does with that path is a use of the same files.
describe('a moved path handed back through a callback', () => {
  const SAVE_JS = `const express = require('express');
const fs = require('fs');
const path = require('path');
const app = express();
const SCAN_DIR = path.join(__dirname, 'scans');
function saveScan(id, data, callback) {
  const file = path.join(SCAN_DIR, id + '.pdf');
  fs.writeFile(file, data, (err) => {
    if (err) return callback(err);
    callback(null, file);
  });
}
`;

  it("follows the path into each caller's callback: its read moves too", () => {
    const files = { [`${ROOT}/src/app.js`]: `${SAVE_JS}app.put('/scans/:id', (req, res, next) => {\n  saveScan(req.params.id, req.body, (err, file) => {\n    if (err) return next(err);\n    res.sendFile(file);\n  });\n});\nmodule.exports = app;\n` };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain(`  saveScan(req.params.id, req.body, (err, file) => {
    if (err) return next(err);
    objectStore.sendFile(res, file);
  });
`);
  });

  it('refuses when a caller hands a callback the fix cannot see (a parameter of its own), naming the call back', () => {
    const files = { [`${ROOT}/src/app.js`]: `${SAVE_JS}function store(req, done) {\n  saveScan(req.params.id, req.body, done);\n}\napp.put('/scans/:id', (req, res, next) => {\n  store(req, (err, file) => (err ? next(err) : res.sendFile(file)));\n});\nmodule.exports = app;\n` };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe("`callback(null, file)` (src/app.js:10) calls back with the files' path, and the fix cannot follow every callback it calls");
  });
});

// What a moved file holds is not where it is: its bytes handed to a library (`sharp(buffer)`,
// `JSON.parse(text)` walked by lodash) open nothing on this disk, while the path handed to it does.
describe('the bytes of a moved file handed on', () => {
  const AVATARS_JS = `const express = require('express');
const fs = require('fs');
const path = require('path');
const sharp = require('sharp');
const app = express();
const AVATAR_DIR = path.join(__dirname, 'avatars');
app.put('/avatars/:id', async (req, res) => {
  const file = path.join(AVATAR_DIR, req.params.id + '.png');
  await fs.promises.writeFile(file, req.body);
  res.status(201).end();
});
app.get('/avatars/:id/small', async (req, res) => {
  const file = path.join(AVATAR_DIR, req.params.id + '.png');
`;

  it('moves the read when only its bytes go to the library', () => {
    const files = { [`${ROOT}/src/app.js`]: `${AVATARS_JS}  const original = await fs.promises.readFile(file);\n  res.type('png').send(await sharp(original).resize(64).toBuffer());\n});\nmodule.exports = app;\n` };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain(`  const original = await objectStore.getFile(file);
  res.type('png').send(await sharp(original).resize(64).toBuffer());
`);
  });

  it('still refuses when the library is given the path', () => {
    const files = { [`${ROOT}/src/app.js`]: `${AVATARS_JS}  res.type('png').send(await sharp(file).resize(64).toBuffer());\n});\nmodule.exports = app;\n` };
    expect(planFirst(files, 'no-local-disk-write', `${ROOT}/src/app.js`).refused?.reason).toBe("`sharp(file)` (src/app.js:14) opens the same files on this instance's disk through `sharp`, and the fix cannot move it");
  });
});

describe('a link to a moved file handed back through a callback', () => {
  it("is not the file's path: the callers' callbacks keep it as they like, and the write moves", () => {
    const files = { [`${ROOT}/src/app.js`]: `const express = require('express');
const fs = require('fs');
const path = require('path');
const app = express();
const IMAGE_DIR = path.join(__dirname, 'public', 'images');
const crypto = require('crypto');
function storeImage(dir, dirUrl, data, callback) {
  const fileName = crypto.createHash('md5').update(data).digest('hex') + '.png';
  const fileUrl = dirUrl + '/' + fileName;
  fs.writeFile(path.join(dir, fileName), data, (err) => (err ? callback(err) : callback(null, fileUrl)));
}
const links = new Map();
app.put('/images/:name', (req, res, next) => {
  storeImage(IMAGE_DIR, '/images', req.body, (err, url) => {
    if (err) return next(err);
    links.set(req.params.name, url);
    res.status(201).json({ url });
  });
});
module.exports = app;
` };
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/app.js`));
    expect(fixed[`${ROOT}/src/app.js`]).toContain("  callbackify(() => objectStore.putFile(path.join(dir, fileName), data))((err) => (err ? callback(err) : callback(null, fileUrl)));\n");
  });
});

// express-fileupload keeps each upload's bytes in memory (`data`) unless told to use temp files:
// `photo.mv(path)` is a write of those bytes, moved with the reads of the same folder. The service
// method is handed the upload as a parameter declared `UploadedFile`.
describe('planFixes: express-fileupload `mv`', () => {
  const SERVICE = `import path from 'node:path';
import type { UploadedFile } from 'express-fileupload';

const UPLOAD_DIR = process.env.UPLOAD_DIR || 'uploads';

export async function savePhoto(id: string, photo: UploadedFile): Promise<string> {
  const name = \`boat-\${id}.png\`;
  await photo.mv(path.join(UPLOAD_DIR, name));
  return name;
}

export function photoPath(name: string): string {
  return path.join(UPLOAD_DIR, name);
}
`;
  const APP = `import express from 'express';
import fileUpload, { type UploadedFile } from 'express-fileupload';
import { photoPath, savePhoto } from './photos';

export const app = express();
app.use(fileUpload({ limits: { fileSize: 5_000_000 } }));
app.post('/boats/:id/photo', async (req, res) => {
  const name = await savePhoto(req.params.id, req.files!.photo as UploadedFile);
  res.status(201).json({ name });
});
app.get('/photos/:name', (req, res) => {
  res.sendFile(photoPath(req.params.name), (err) => {
    if (err) res.status(404).end();
  });
});
`;
  const files = { [`${ROOT}/src/photos.ts`]: SERVICE, [`${ROOT}/src/app.ts`]: APP };

  it('the bytes go to the object store at the same key, and the route that sends the file back reads them there', () => {
    const fixed = applyPlan(files, movePlan(files, 'no-local-disk-write', `${ROOT}/src/photos.ts`));
    expect(fixed[`${ROOT}/src/photos.ts`]).toBe(SERVICE.replace("import type { UploadedFile } from 'express-fileupload';\n", "import type { UploadedFile } from 'express-fileupload';\nimport { objectStore } from './scaling/object-store';\n").replace('await photo.mv(path.join(UPLOAD_DIR, name));', 'await objectStore.putFile(path.join(UPLOAD_DIR, name), photo.data);'));
    expect(fixed[`${ROOT}/src/app.ts`]).toBe(APP.replace("import { photoPath, savePhoto } from './photos';\n", "import { photoPath, savePhoto } from './photos';\nimport { objectStore } from './scaling/object-store';\n").replace('res.sendFile(photoPath(req.params.name), (err) => {', 'objectStore.sendFile(res, photoPath(req.params.name), (err) => {'));
  });

  it('`mv(path, callback)` keeps its callback', () => {
    const callback = { ...files, [`${ROOT}/src/photos.ts`]: SERVICE.replace('await photo.mv(path.join(UPLOAD_DIR, name));', "photo.mv(path.join(UPLOAD_DIR, name), (err) => {\n    if (err) console.error(err);\n  });") };
    const fixed = applyPlan(callback, movePlan(callback, 'no-local-disk-write', `${ROOT}/src/photos.ts`));
    expect(fixed[`${ROOT}/src/photos.ts`]).toContain("  callbackify(() => objectStore.putFile(path.join(UPLOAD_DIR, name), photo.data))((err) => {\n    if (err) console.error(err);\n  });\n");
  });

  it('refused with the option named when the uploads are kept in temp files (`data` is empty then)', () => {
    const temp = { ...files, [`${ROOT}/src/app.ts`]: APP.replace('fileUpload({ limits: { fileSize: 5_000_000 } })', "fileUpload({ useTempFiles: true, tempFileDir: '/tmp' })") };
    const planned = planFirst(temp, 'no-local-disk-write', `${ROOT}/src/photos.ts`);
    expect(planned.plans).toEqual([]);
    expect(planned.refused?.reason).toBe('express-fileupload keeps the uploads in temp files (`useTempFiles: true`, src/app.ts:6), so `photo.data` is empty: read the temp file (`tempFilePath`) into the object store, or drop the option so the bytes stay in memory');
  });
});

describe('planFixes: a write whose folder the caller passes in', () => {
  // From a real checkout (a mail editor's image cache): the folder is a parameter, the file's name a
  // hash; `digest('hex')` was read as the folder `hex`, so the folder's listing and the static route
  // serving its parent stayed on this disk while the write moved, and every cached image answered 404.
  const THUMBS_JS = `const crypto = require('crypto');
const express = require('express');
const fs = require('fs');
const path = require('path');
const app = express();
app.use(express.static(path.join(__dirname, 'public')));
function cachedThumb(folder, source, image, callback) {
  fs.readdir(folder, (err, names) => {
    if (err) return callback(err);
    const digest = crypto.createHash('sha1').update(source).digest('hex');
    const known = names.find((name) => name.startsWith(digest));
    if (known) return callback(null, known);
    const name = digest + '.' + image.format.toLowerCase();
    const out = fs.createWriteStream(path.join(folder, name));
    out.on('error', callback);
    out.on('finish', () => callback(null, name));
    out.end(image.bytes);
  });
}
app.post('/thumbs/:kind', (req, res, next) => {
  const folder = path.join(__dirname, 'public', req.params.kind, 'thumbs');
  cachedThumb(folder, req.query.src, req.body, (err, name) => (err ? next(err) : res.send(name)));
});
module.exports = app;
`;

  it('a string argument of a library method (`digest(\'hex\')`) names no folder: refused, the folder being unknown', () => {
    const planned = planFirst({ [`${ROOT}/src/app.js`]: THUMBS_JS }, 'no-local-disk-write', `${ROOT}/src/app.js`);
    expect(planned.plans).toEqual([]);
    expect(planned.refused?.reason).toBe('the path names no folder or path function, so the other uses of the same files cannot be found');
  });
});

describe('planFixes: a write whose function returns the path to its callers', () => {
  // From a real checkout: a service writes a helper program's config file and returns its path, and the
  // caller starts the program with it; the fix moved the write, and the program found no file on this disk.
  const SIDECAR_TS = `import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { settings } from './settings';

export async function writeProxyConfig(routes: string[]): Promise<string> {
  await mkdir(settings.proxyDir, { recursive: true });
  const file = path.join(settings.proxyDir, 'proxy.yaml');
  await writeFile(file, routes.join('\\n'), 'utf-8');
  return file;
}

export class ProxyRunner {
  async start(routes: string[]): Promise<void> {
    let configFile: string;
    try {
      configFile = await writeProxyConfig(routes);
    } catch {
      return;
    }
    spawn(settings.proxyBinary, ['serve', configFile], { stdio: 'inherit' });
  }
}
`;
  const APP_TS = `import express from 'express';
import { ProxyRunner } from './proxy';
const proxy = new ProxyRunner();
export const app = express();
app.post('/proxy', async (req, res) => {
  await proxy.start(req.body.routes);
  res.send('started');
});
`;
  const SETTINGS_TS = `export const settings = { proxyDir: process.env.PROXY_DIR ?? 'run/proxy', proxyBinary: process.env.PROXY_BIN ?? '/usr/local/bin/edge' };\n`;

  it('refused: the caller hands the returned path on, which the fix cannot follow', () => {
    const files = { [`${ROOT}/src/proxy.ts`]: SIDECAR_TS, [`${ROOT}/src/settings.ts`]: SETTINGS_TS, [`${ROOT}/src/app.ts`]: APP_TS };
    const planned = planFirst(files, 'no-local-disk-write', `${ROOT}/src/proxy.ts`);
    expect(planned.plans).toEqual([]);
    expect(planned.refused?.reason).toBe("`let configFile: string` (src/proxy.ts:15) uses the files' path in a way the fix cannot follow");
  });
});
