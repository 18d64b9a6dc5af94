import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A CommonJS store built as `_.extend(new EventEmitter(), { add() {…} })`: lodash copies the literal's
// members onto the emitter, so `store.add(…)` in a route runs the literal's `add`, as with Object.assign.

afterAll(removeAnalysedProjects);

const files = {
  'server/store.js': `const fs = require('fs');
const path = require('path');
const events = require('events');
const _ = require('lodash');

const listFile = path.join(process.env.CONFIG_DIR || '/var/lib/feeds', 'feeds.json');
const feeds = {};

function save() {
  fs.writeFile(listFile, JSON.stringify(Object.keys(feeds)), (err) => {
    if (err) console.error(err);
  });
}

const store = _.extend(new events.EventEmitter(), {
  add(url) {
    feeds[url] = { url, added: Date.now() };
    save();
    store.emit('feed', url);
  },
  get(url) {
    return feeds[url];
  },
});

module.exports = store;
`,
  'server/index.js': `const express = require('express');
const store = require('./store');

const api = express();
api.use(express.json());
api.post('/feeds', (req, res) => {
  store.add(req.body.url);
  res.sendStatus(201);
});
api.get('/feeds/:url', (req, res) => {
  res.json(store.get(req.params.url));
});
api.listen(9000);
`,
};

describe('a module object made with lodash’s extend', () => {
  it('its methods run where a route calls them: the list saved to the local disk is found, typed and untyped; the read beside it is not', () => {
    const expected = [
      "10:3 no-local-disk-write: `fs.writeFile` writes to this instance's local disk on POST /feeds (server/index.js:6). Other instances will not find the file, and it is lost when this instance is replaced.",
    ];
    expect(untypedFindings(files, 'server/store.js', ['no-local-disk-write'])).toEqual(expected);
    expect(typedFindings(files, 'server/store.js', ['no-local-disk-write'])).toEqual(expected);
  });
});
