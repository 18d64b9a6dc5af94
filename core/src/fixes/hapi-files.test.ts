import { describe, expect, it } from 'vitest';
import { ROOT, applyPlan, movePlan, planFirst } from '../testing/fix-plans';

// A hapi server given the upload folder as its routes' `files.relativeTo`: one plugin writes a
// multipart stream there, another sends it back with inert's `h.file(name)`, relative to that folder.

const SERVER_JS = `const Path = require('path');
const Hapi = require('@hapi/hapi');
const UPLOAD_DIR = process.env.UPLOAD_DIR || Path.join(__dirname, 'uploads');
const init = async () => {
  const server = Hapi.server({ port: 3000, routes: { files: { relativeTo: UPLOAD_DIR } } });
  await server.register(require('@hapi/inert'));
  await server.register(require('./designs'));
  await server.start();
};
module.exports = { UPLOAD_DIR, init };
`;

const DESIGNS_JS = (send: string) => `const Fs = require('fs');
const Path = require('path');
const { pipeline } = require('stream/promises');
const { UPLOAD_DIR } = require('./server');

exports.plugin = {
  name: 'designs',
  register: (server) => {
    server.route({
      method: 'POST',
      path: '/designs',
      options: { payload: { output: 'stream', parse: true, multipart: true } },
      handler: async (request, h) => {
        const name = Date.now() + '.svg';
        await pipeline(request.payload.file, Fs.createWriteStream(Path.join(UPLOAD_DIR, name)));
        return h.response({ name }).code(201);
      },
    });
    server.route({
      method: 'GET',
      path: '/designs/{name}',
      handler: (request, h) => ${send},
    });
  },
};
`;

const files = (send: string, server = SERVER_JS) => ({ [`${ROOT}/src/server.js`]: server, [`${ROOT}/src/designs.js`]: DESIGNS_JS(send) });

describe("planFixes: hapi's h.file relative to the folder the server was given reads from the object store", () => {
  it("the write moves to the store and `h.file(name, { mode, filename })` becomes the adapter's `hapiFile(h, …)`; the server's options stay", () => {
    const given = files("h.file(request.params.name, { mode: 'attachment', filename: 'design.svg' })");
    const fixed = applyPlan(given, movePlan(given, 'no-local-disk-write', `${ROOT}/src/designs.js`));
    expect(fixed[`${ROOT}/src/server.js`]).toBe(SERVER_JS);
    expect(fixed[`${ROOT}/src/designs.js`]).toBe(`const Path = require('path');
const { UPLOAD_DIR } = require('./server');
const { hapiFile, objectKey, objectStore } = require('./scaling/object-store');

exports.plugin = {
  name: 'designs',
  register: (server) => {
    server.route({
      method: 'POST',
      path: '/designs',
      options: { payload: { output: 'stream', parse: true, multipart: true } },
      handler: async (request, h) => {
        const name = Date.now() + '.svg';
        await objectStore.upload(objectKey(Path.join(UPLOAD_DIR, name)), request.payload.file);
        return h.response({ name }).code(201);
      },
    });
    server.route({
      method: 'GET',
      path: '/designs/{name}',
      handler: (request, h) => hapiFile(h, request.params.name, { mode: 'attachment', filename: 'design.svg' }),
    });
  },
};
`);
    expect(fixed[`${ROOT}/src/scaling/object-store.js`]).toContain('async function hapiFile(h, name, options = {}) {');
  });

  it("`new Hapi.Server(…)` is the same server; with no relativeTo, `h.file(path.join(dir, name), { confine: false })` reads the path and moves the same way", () => {
    const made = files('h.file(request.params.name)', SERVER_JS.replace('Hapi.server(', 'new Hapi.Server('));
    const fixedMade = applyPlan(made, movePlan(made, 'no-local-disk-write', `${ROOT}/src/designs.js`));
    expect(fixedMade[`${ROOT}/src/designs.js`]).toContain('      handler: (request, h) => hapiFile(h, request.params.name),\n');
    const joined = files("h.file(Path.join(UPLOAD_DIR, request.params.name), { confine: false })", SERVER_JS.replace(', routes: { files: { relativeTo: UPLOAD_DIR } }', ''));
    const fixedJoined = applyPlan(joined, movePlan(joined, 'no-local-disk-write', `${ROOT}/src/designs.js`));
    expect(fixedJoined[`${ROOT}/src/designs.js`]).toContain('      handler: (request, h) => hapiFile(h, Path.join(UPLOAD_DIR, request.params.name), { confine: false }),\n');
    expect(fixedJoined[`${ROOT}/src/server.js`]).toBe(SERVER_JS.replace(', routes: { files: { relativeTo: UPLOAD_DIR } }', ''));
  });

  it('refuses, saying why: an h.file whose response the handler goes on using, options the adapter does not know, the folder served by a directory handler, the folder named elsewhere in the server options', () => {
    const refusal = (given: Record<string, string>) => planFirst(given, 'no-local-disk-write', `${ROOT}/src/designs.js`).refused?.reason;
    expect(refusal(files("h.file(request.params.name).header('cache-control', 'no-store')"))).toBe(
      "`h.file(request.params.name)` (src/designs.js:22) sends a file of the same folder with options, or a use of its response, the object store has no counterpart for",
    );
    expect(refusal(files("h.file(request.params.name, { lookupCompressed: true })"))).toBe(
      '`h.file(request.params.name, { lookupCompressed: true })` (src/designs.js:22) sends a file of the same folder with options, or a use of its response, the object store has no counterpart for',
    );
    const directory = DESIGNS_JS('h.file(request.params.name)').replace("      handler: (request, h) => h.file(request.params.name),", "      handler: { directory: { path: '.' } },");
    expect(refusal({ [`${ROOT}/src/server.js`]: SERVER_JS, [`${ROOT}/src/designs.js`]: directory })).toBe(
      "`handler: { directory: { path: '.' } }` (src/designs.js:22) serves files with inert's own handler, which the object store has no counterpart for",
    );
    const twice = SERVER_JS.replace('{ port: 3000, routes:', '{ port: 3000, debug: { log: [UPLOAD_DIR] }, routes:');
    expect(refusal(files('h.file(request.params.name)', twice))).toBe(
      "`Hapi.server(…)` (src/server.js:5) serves the same files from this instance's disk through hapi, in a way the object store has no counterpart for",
    );
  });
});
