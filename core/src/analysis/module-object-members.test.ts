import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A CommonJS module written as one object: `const self = { onHold: new Set() }`, then its functions hung on it at
// module scope (`self.upload = async (req, res) => …`, `self.store = …`) and `module.exports = self` (round 35 of
// test/real-world: every controller of a file host written this way). The object literal names some members, the
// assignments after it the rest; a route's `upload.upload` and a function's `self.store(…)` run the assigned ones.

afterAll(removeAnalysedProjects);

const RULES = ['no-local-disk-write'] as const;

const controller = (helper = '') => `const fs = require('fs')
const path = require('path')

const self = {
  onHold: new Set(),
  maxTries: 3
}

self.upload = async (req, res) => {
  await self.store(req.body.name, req.body.data)
  res.json({ ok: true })
}

self.store = async (name, data) => {
  await fs.promises.writeFile(path.join('uploads', name), data)
}
${helper}
module.exports = self
`;

const app = `const express = require('express')
const upload = require('./controllers/upload')

const app = express()
app.post('/api/upload', upload.upload)
app.listen(3000)
`;

describe('members hung on a module object whose literal names others', () => {
  it('a route runs the assigned handler, and the handler the assigned function it calls through the object, typed and untyped', () => {
    const files = { 'controllers/upload.js': controller(), 'app.js': app };
    const expected = ["15:9 no-local-disk-write: `fs.promises.writeFile` writes to this instance's local disk on POST /api/upload (app.js:5). Other instances will not find the file, and it is lost when this instance is replaced."];
    expect(untyped(files, 'controllers/upload.js', [...RULES])).toEqual(expected);
    expect(typed(files, 'controllers/upload.js', [...RULES])).toEqual(expected);
  });

  it('a local object of the same name in a function is its own: its members are not the module object\'s', () => {
    const files = {
      'controllers/upload.js': `const fs = require('fs')

const self = {
  onHold: new Set()
}

self.upload = async (req, res) => {
  res.json({ ok: true, held: self.onHold.size })
}

function script () {
  const self = { dry: false }
  self.upload = () => fs.writeFileSync('dump.json', '{}')
  return self
}

module.exports = self
module.exports.script = script
`,
      'app.js': app,
    };
    expect(untyped(files, 'controllers/upload.js', [...RULES])).toEqual([]);
    expect(typed(files, 'controllers/upload.js', [...RULES])).toEqual([]);
  });

  it('a member the literal itself names is that one, not a later assignment inside a function', () => {
    const files = {
      'controllers/upload.js': `const fs = require('fs')

const self = {
  upload: async (req, res) => res.json({ ok: true })
}

function debugMode () {
  self.upload = async (req, res) => fs.writeFileSync('last-upload.bin', req.body)
}

module.exports = self
module.exports.debugMode = debugMode
`,
      'app.js': app,
    };
    expect(untyped(files, 'controllers/upload.js', [...RULES])).toEqual([]);
    expect(typed(files, 'controllers/upload.js', [...RULES])).toEqual([]);
  });
});
