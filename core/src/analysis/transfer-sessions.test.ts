import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// Chunked uploads kept in a module object by the client's upload id: each entry holds the open write stream of the
// file being assembled and a count of the chunks written, checked against a maximum when the upload finishes
// (round 35 of test/real-world: a file host's chunked uploads). The count is that one upload's progress: the entry is
// the client's session, and the next chunk on another instance finds nothing. Look-alikes: a login-attempt record
// per address (a count and a first-attempt time) checked against a limit stays a counter.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-session', 'no-in-memory-counter'] as const;

const files = {
  'uploads.js': `const express = require('express')
const fs = require('fs')
const path = require('path')

const chunksData = {}
const attempts = {}

const app = express()
app.post('/upload/chunk', (req, res) => {
  const uuid = req.body.uuid
  if (chunksData[uuid] === undefined) {
    chunksData[uuid] = { chunks: 0, root: path.join('chunks', uuid) }
    chunksData[uuid].writeStream = fs.createWriteStream(path.join('chunks', uuid, 'tmp'), { flags: 'a' })
  }
  req.pipe(chunksData[uuid].writeStream, { end: false })
  req.on('end', () => {
    chunksData[uuid].chunks++
    res.json({ ok: true })
  })
})
app.post('/upload/finish', (req, res) => {
  const data = chunksData[req.body.uuid]
  if (data.chunks < 2 || data.chunks > 50) return res.status(400).end()
  data.writeStream.end()
  delete chunksData[req.body.uuid]
  res.json({ ok: true })
})
app.post('/login', (req, res) => {
  const entry = attempts[req.ip] || (attempts[req.ip] = { count: 0, first: Date.now() })
  entry.count++
  if (entry.count > 5) return res.status(429).end()
  res.json({ ok: true })
})
app.listen(3000)
`,
};

describe('an entry holding an open write stream is a transfer in progress', () => {
  const expected = [
    '5:7 no-in-memory-session: `chunksData` holds application data in this process; it is written by POST /upload/chunk (uploads.js:9) and 1 other route. A second instance will not see it.',
    '6:7 no-in-memory-counter: `attempts` counts in this process; it is changed by POST /login (uploads.js:28). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
  ];

  it('untyped: the chunked uploads are a session, the login attempts a counter', () => {
    expect(untypedFindings(files, 'uploads.js', [...RULES])).toEqual(expected);
  });

  it('typed: the same', () => {
    expect(typedFindings(files, 'uploads.js', [...RULES])).toEqual(expected);
  });
});
