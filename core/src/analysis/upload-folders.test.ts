import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Upload middleware told to write into a folder the app serves (round 27 of test/real-world: an
// e-mail editor's image uploads written by jquery-file-upload-middleware under `public/`), written
// here in a shape of our own, with multiparty beside it; the look-alikes keep uploads in the OS temp
// folder and move them to an object store in the same request.

afterAll(removeAnalysedProjects);

describe('upload middleware writing under the public folder', () => {
  const files = {
    'src/server.js': `const express = require('express');
const path = require('path');
const os = require('os');
const fs = require('fs');
const upload = require('jquery-file-upload-middleware');
const multiparty = require('multiparty');
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');

const s3 = new S3Client({});
const app = express();

app.post('/editor/images', (req, res) => {
  const opts = {
    uploadDir: path.join(__dirname, 'public', 'uploads', String(req.query.campaign)),
    uploadUrl: '/uploads/' + req.query.campaign,
  };
  upload.fileHandler(opts)(req, res);
});

app.post('/attachments', (req, res) => {
  new multiparty.Form({ uploadDir: path.join(__dirname, 'public', 'attachments') }).parse(req, (err, fields, parts) => {
    if (err) return res.status(400).end();
    res.json({ saved: Object.keys(parts) });
  });
});

app.post('/avatars', (req, res) => {
  new multiparty.Form({ uploadDir: os.tmpdir() }).parse(req, async (err, fields, parts) => {
    if (err) return res.status(400).end();
    const file = parts.avatar[0];
    await s3.send(new PutObjectCommand({ Bucket: 'avatars', Key: file.originalFilename, Body: fs.createReadStream(file.path) }));
    await fs.promises.unlink(file.path);
    res.sendStatus(201);
  });
});

app.post('/logos', (req, res) => {
  upload.fileHandler({ uploadDir: os.tmpdir(), uploadUrl: '/logos' })(req, res);
});

app.listen(3000);
`,
  };

  it('the uploads written under public/ are reported; those kept in the OS temp folder stay quiet (untyped and typed)', () => {
    const expected = [
      "17:3 no-local-disk-write: jquery-file-upload-middleware stores uploads on this instance's local disk (`uploadDir: path.join(__dirname, 'public', 'uploads', String(req.query.campaign))`). Other instances will not find them; keep uploads in memory and put them in an object store (S3).",
      "21:25 no-local-disk-write: multiparty stores uploads on this instance's local disk (`uploadDir: path.join(__dirname, 'public', 'attachments')`). Other instances will not find them; keep uploads in memory and put them in an object store (S3).",
    ];
    expect(untyped(files, 'src/server.js')).toEqual(expected);
    expect(typed(files, 'src/server.js')).toEqual(expected);
  });
});
