import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A set of identifiers drawn at random and held while the database is asked whether one is taken
// (`const id = randomstring.generate(8); if (onHold.has(id)) continue; onHold.add(id); await db.find(id)`,
// released when the response is sent): round 35 of test/real-world, a file host's upload, album and token
// names. It keeps two requests of this process from drawing the same name at once; another instance draws
// its own names, and two instances meet only if they draw the same random string at the same moment, which
// the database's own check is there for. Not a lock of a shared resource. A set of names the request gives
// (a file name, a user name) held the same way is one, and stays reported.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-process-lock'];

const tokens = (draw: string, imports = "const randomstring = require('randomstring')") => `${imports}
const db = require('./db')

const self = {
  onHold: new Set()
}

self.getUniqueName = async (wanted) => {
  for (let i = 0; i < 3; i++) {
    const name = ${draw}
    if (self.onHold.has(name)) continue
    self.onHold.add(name)
    const used = await db.find(name)
    if (used) {
      self.onHold.delete(name)
      continue
    }
    return name
  }
}

self.release = (name) => {
  self.onHold.delete(name)
}

module.exports = self
`;

const app = {
  'db.js': 'module.exports = { find: async () => null }\n',
  'app.js': `const express = require('express')
const names = require('./names')

const app = express()
app.post('/uploads', async (req, res) => {
  const name = await names.getUniqueName(req.body.name)
  res.once('finish', () => names.release(name))
  res.json({ name })
})
app.listen(3000)
`,
};

describe('identifiers drawn at random, held while the database is asked', () => {
  for (const [what, draw, imports] of [
    ['randomstring.generate', 'randomstring.generate(8)', undefined],
    ["crypto's randomBytes, as text", "crypto.randomBytes(6).toString('hex')", "const crypto = require('crypto')"],
    ['nanoid', 'nanoid(10)', "const { nanoid } = require('nanoid')"],
  ] as const) {
    it(`a name drawn by ${what} is no lock, typed and untyped`, () => {
      const files = { ...app, 'names.js': tokens(draw, imports) };
      expect(untyped(files, 'names.js', [...RULES])).toEqual([]);
      expect(typed(files, 'names.js', [...RULES])).toEqual([]);
    });
  }

  it('the same set holding the name the request asks for guards a name other instances may take: reported, typed and untyped', () => {
    const files = { ...app, 'names.js': tokens('wanted') };
    const expected = ['4:7 no-in-process-lock: `self` guards work only within this process; it is taken by POST /uploads (app.js:5). A request on another instance does not see it and runs the same work at the same time.'];
    expect(untyped(files, 'names.js', [...RULES])).toEqual(expected);
    expect(typed(files, 'names.js', [...RULES])).toEqual(expected);
  });
});
