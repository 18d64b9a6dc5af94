import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A module object whose collections are hung on it after its literal, at module scope (`const self = {
// titleMaxLength: 70 }`, then `self.zipEmitters = new Map()`; round 35 of test/real-world: a file host's album
// controller keeps its zip generations in progress there). The hung collection is its own state: a lock, cache or
// session found in it is named and reported where it is hung, not at the object, whose other members hold other
// things. Look-alikes that stay quiet: a table hung the same way and filled only at start-up, and a script's
// local object of the same shape.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-process-lock', 'no-in-memory-session', 'no-in-memory-counter', 'no-process-local-cache'] as const;

const files = {
  'controllers/albums.js': `const fs = require('fs')
const path = require('path')
const EventEmitter = require('events')

const self = {
  titleMaxLength: 70,
  descMaxLength: 4000
}

self.zipEmitters = new Map()
self.mimeTypes = new Map()
self.mimeTypes.set('zip', 'application/zip')

self.download = async (req, res) => {
  const id = req.params.id
  if (self.zipEmitters.has(id)) {
    return self.zipEmitters.get(id).once('done', () => res.sendFile(path.resolve('zips', id + '.zip')))
  }
  self.zipEmitters.set(id, new EventEmitter())
  await fs.promises.writeFile(path.join('zips', id + '.zip'), req.body)
  self.zipEmitters.get(id).emit('done')
  self.zipEmitters.delete(id)
  res.type(self.mimeTypes.get('zip')).sendFile(path.resolve('zips', id + '.zip'))
}

module.exports = self
`,
  'routes.js': `const express = require('express')
const albums = require('./controllers/albums')

const app = express()
app.get('/album/zip/:id', albums.download)
app.listen(3000)
`,
  'scripts/pack.js': `const fs = require('fs')

function pack(ids) {
  const self = { titleMaxLength: 70 }
  self.running = new Set()
  for (const id of ids) {
    if (self.running.has(id)) continue
    self.running.add(id)
    fs.writeFileSync(id + '.zip', '')
    self.running.delete(id)
  }
}
pack(process.argv.slice(2))
`,
};

const expected = [
  '10:6 no-in-process-lock: `zipEmitters` guards work only within this process; it is taken by GET /album/zip/:id (routes.js:5). A request on another instance does not see it and runs the same work at the same time.',
];

describe('collections hung on a module object after its literal', () => {
  it('untyped: the hung map is the lock, reported where it is hung; a table filled at start-up and a script stay quiet', () => {
    expect(untypedFindings(files, 'controllers/albums.js', [...RULES])).toEqual(expected);
    expect(untypedFindings(files, 'scripts/pack.js', [...RULES])).toEqual([]);
  });

  it('typed: the same', () => {
    expect(typedFindings(files, 'controllers/albums.js', [...RULES])).toEqual(expected);
    expect(typedFindings(files, 'scripts/pack.js', [...RULES])).toEqual([]);
  });
});
