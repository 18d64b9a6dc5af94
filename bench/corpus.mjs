#!/usr/bin/env node
// Deterministic generator of the benchmark corpus: a monorepo of ~100 small TypeScript
// services (Express, NestJS, Fastify, Next.js) with types, utilities, constant tables,
// client components, tests and scripts, importing each other through relative paths.
//
//   node bench/corpus.mjs [--files N] [--seed S] [--force]
//
// A manifest records the seed, the file count and a hash of the generator sources; the corpus
// is rebuilt only when one of them changes, so `npm run bench` does not pay for generation.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_SUFFIXES, ARCHETYPES, FIELD_POOL, OPERATION_VERBS, STATUS_POOL, camel, capitalize, createRandom, kebab, plural } from './gen/random.mjs';
import * as shared from './gen/shared-files.mjs';
import * as services from './gen/services.mjs';
import * as express from './gen/express.mjs';
import * as fw from './gen/frameworks.mjs';
import * as client from './gen/client-files.mjs';
import { CORPUS_TSCONFIG, VENDOR_DTS } from './gen/vendor.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const CORPUS_DIR = path.join(BENCH_DIR, '.corpus');
export const MANIFEST_FILE = path.join(CORPUS_DIR, 'manifest.json');
export const DEFAULT_FILES = 3000;
export const DEFAULT_SEED = 1;
const VENDOR_FILE = 'types/vendor.d.ts';

/** Hash of everything that shapes the output, so template edits regenerate the corpus. */
function generatorHash() {
  const hash = createHash('sha256');
  const genDir = path.join(BENCH_DIR, 'gen');
  for (const file of [path.join(BENCH_DIR, 'corpus.mjs'), ...fs.readdirSync(genDir).sort().map((f) => path.join(genDir, f))]) {
    hash.update(path.basename(file)).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function makeEntity(r, name) {
  const statuses = [...r.sample(STATUS_POOL.filter((s) => s !== 'archived'), r.int(2, 4)), 'archived'];
  return {
    name: camel(name), Name: capitalize(camel(name)), plural: camel(plural(name)), Plural: capitalize(camel(plural(name))), kebab: kebab(name),
    fields: r.sample(FIELD_POOL, r.int(5, 9)), statuses, ops: r.sample(OPERATION_VERBS, r.int(2, 5)),
  };
}

const FLAVORS = [['express', 0.4], ['next', 0.25], ['nest', 0.2], ['fastify', 0.15]];
function pickFlavor(r) {
  let x = r.next();
  for (const [flavor, weight] of FLAVORS) if ((x -= weight) < 0) return flavor;
  return 'express';
}

// Hazard rates per candidate file, tuned so that about 3% of all files hold a hazard.
const RATE = { handler: 0.15, nextHandler: 0.09, entry: 0.2, service: 0.06 };

/** Plans one app: its entities, shared paths and the ordered list of files (dependencies first). */
function planApp(r, index) {
  const archetype = r.pick(ARCHETYPES);
  const flavor = pickFlavor(r);
  const name = `${archetype.area}-${r.pick(APP_SUFFIXES)}-${String(index).padStart(3, '0')}`;
  const root = `apps/${name}`;
  const entities = r.sample(archetype.entities, r.int(3, 4)).map((n) => makeEntity(r, n));
  const src = `${root}/src`;
  const paths = {
    strings: `${src}/utils/strings.ts`, dates: `${src}/utils/dates.ts`, validators: `${src}/utils/validators.ts`,
    logger: `${src}/lib/logger.ts`, db: `${src}/lib/db.ts`,
    auth: { express: `${src}/middleware/auth.ts`, fastify: `${src}/hooks/auth.ts`, nest: `${src}/common/auth.guard.ts`, next: `${src}/lib/auth.ts` }[flavor],
    validate: `${src}/middleware/validate.ts`, appModule: `${src}/app.module.ts`,
  };
  const app = { name, flavor, root, entities, paths };
  const files = [];
  const add = (file, kind, make, entity) => files.push({ file, kind, make, entity });
  const hazardIf = (rate, kinds) => (r.chance(rate) ? r.pick(kinds) : undefined);

  for (const e of entities) {
    e.typesFile = `${src}/types/${e.kebab}.ts`;
    add(e.typesFile, 'types', shared.typesFile, e);
  }
  add(paths.strings, 'util', shared.stringsFile);
  add(paths.dates, 'util', shared.datesFile);
  add(paths.validators, 'util', shared.validatorsFile);
  for (const topic of r.sample(['reference', 'catalog', 'limits'], r.int(1, 3))) add(`${src}/constants/${topic}-data.ts`, 'constants', shared.constantsFile);
  add(paths.logger, 'lib', shared.loggerFile);
  add(paths.db, 'lib', shared.dbFile);

  if (flavor === 'nest') {
    add(paths.auth, 'middleware', fw.nestGuardFile);
    for (const e of entities) {
      const dir = `${src}/${e.plural}`;
      e.serviceFile = `${dir}/${e.plural}.service.ts`;
      e.moduleFile = `${dir}/${e.plural}.module.ts`;
      e.handlerFile = `${dir}/${e.plural}.controller.ts`;
      add(`${dir}/${e.plural}.dto.ts`, 'types', fw.nestDtoFile, e);
      const serviceHazard = r.chance(RATE.service);
      add(e.serviceFile, 'service', (c) => services.nestServiceFile(c, { hazard: serviceHazard }), e);
      const controllerHazard = r.chance(RATE.handler);
      add(e.handlerFile, 'handler', (c) => fw.nestControllerFile(c, { hazard: controllerHazard }), e);
      add(e.moduleFile, 'wiring', fw.nestModuleFile, e);
    }
    add(paths.appModule, 'wiring', fw.nestAppModuleFile);
    const mainHazard = r.chance(RATE.entry);
    add(`${src}/main.ts`, 'entry', (c) => fw.nestMainFile(c, { hazard: mainHazard }));
  } else {
    for (const e of entities) {
      e.serviceFile = `${src}/services/${e.kebab}-service.ts`;
      const hazard = r.chance(RATE.service);
      add(e.serviceFile, 'service', (c) => services.serviceFile(c, { hazard }), e);
    }
  }
  if (flavor === 'express') {
    add(paths.auth, 'middleware', express.authMiddlewareFile);
    add(paths.validate, 'middleware', express.validateMiddlewareFile);
    for (const e of entities) {
      e.handlerFile = `${src}/routes/${e.plural}.ts`;
      const hazard = hazardIf(RATE.handler, ['module-map', 'fs-write', 'multer-dest']);
      add(e.handlerFile, 'handler', (c) => express.expressRouterFile(c, { hazard }), e);
    }
    const hazard = r.chance(RATE.entry);
    add(`${src}/server.ts`, 'entry', (c) => express.expressEntryFile(c, { hazard }));
  } else if (flavor === 'fastify') {
    add(paths.auth, 'middleware', fw.fastifyAuthFile);
    for (const e of entities) {
      e.handlerFile = `${src}/plugins/${e.plural}.ts`;
      const hazard = hazardIf(RATE.handler, ['module-map', 'fs-write']);
      add(e.handlerFile, 'handler', (c) => fw.fastifyPluginFile(c, { hazard }), e);
    }
    const hazard = r.chance(RATE.entry / 2);
    add(`${src}/app.ts`, 'entry', (c) => fw.fastifyEntryFile(c, { hazard }));
  } else if (flavor === 'next') {
    add(paths.auth, 'middleware', fw.nextAuthFile);
    for (const e of entities) {
      const api = `${root}/app/api/${e.plural}`;
      const collectionHazard = hazardIf(RATE.nextHandler, ['module-map']);
      add(`${api}/route.ts`, 'handler', (c) => fw.nextCollectionRouteFile(c, { hazard: collectionHazard }), e);
      const itemHazard = hazardIf(RATE.nextHandler, ['fs-write']);
      add(`${api}/[id]/route.ts`, 'handler', (c) => fw.nextItemRouteFile(c, { hazard: itemHazard }), e);
      e.listComponentFile = `${root}/components/${e.Name}List.tsx`;
      add(e.listComponentFile, 'component', client.listComponentFile, e);
      if (r.chance(0.5)) add(`${root}/components/${e.Name}Form.tsx`, 'component', client.formComponentFile, e);
      if (r.chance(0.7)) add(`${root}/app/(dashboard)/${e.plural}/page.tsx`, 'component', client.nextPageFile, e);
    }
  }
  if (flavor !== 'next') {
    for (const e of r.sample(entities, r.int(0, 2))) add(`${root}/client/components/${e.Name}List.tsx`, 'component', client.listComponentFile, e);
  }
  for (const e of entities) {
    add(`${root}/test/${e.kebab}.service.test.ts`, 'test', client.serviceTestFile, e);
    add(`${root}/test/e2e/${e.plural}.api.test.ts`, 'test', client.apiTestFile, e);
  }
  add(`${root}/test/utils.test.ts`, 'test', client.utilsTestFile);
  if (r.chance(0.5)) {
    const e = r.pick(entities);
    add(`${root}/scripts/export-${e.kebab}.ts`, 'script', client.exportScriptFile, e);
  }
  return { app, files };
}

function importPath(fromFile, toFile) {
  let rel = path.posix.relative(path.posix.dirname(fromFile), toFile).replace(/\.tsx?$/, '');
  if (!rel.startsWith('.')) rel = './' + rel;
  return rel;
}

/** Generates the whole corpus in memory: [{ file, kind, text, hazards, lookalikes }]. */
export function generateCorpus({ files: fileCount, seed }) {
  const r = createRandom(seed);
  const out = [{ file: VENDOR_FILE, kind: 'types', text: VENDOR_DTS, hazards: [], lookalikes: [] }];
  for (let index = 1; out.length < fileCount; index++) {
    const { app, files } = planApp(r, index);
    for (const spec of files) {
      if (out.length >= fileCount) break;
      const c = { r, app, entity: spec.entity, imp: (to) => importPath(spec.file, to) };
      const { text, hazards, lookalikes } = spec.make(c);
      out.push({ file: spec.file, kind: spec.kind, flavor: app.flavor, text, hazards, lookalikes });
    }
  }
  return out;
}

function summarize(files) {
  const lines = files.map((f) => f.text.split('\n').length - 1);
  const byKind = {};
  files.forEach((f, i) => {
    const k = (byKind[f.kind] ??= { files: 0, lines: 0 });
    k.files++;
    k.lines += lines[i];
  });
  const total = lines.reduce((a, b) => a + b, 0);
  return {
    files: files.length, lines: total, bytes: files.reduce((a, f) => a + Buffer.byteLength(f.text), 0),
    avgLines: Math.round(total / files.length), minLines: Math.min(...lines), maxLines: Math.max(...lines),
    filesWithHazards: files.filter((f) => f.hazards.length > 0).length, byKind,
  };
}

function readManifest() {
  try {
    return JSON.parse(fs.readFileSync(MANIFEST_FILE, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Returns the manifest of an up-to-date corpus, generating it first when needed. */
export function ensureCorpus({ files = DEFAULT_FILES, seed = DEFAULT_SEED, force = false, log = console.log } = {}) {
  const key = { seed, files, generator: generatorHash() };
  const existing = readManifest();
  if (!force && existing && JSON.stringify(existing.key) === JSON.stringify(key) && existing.files.every((f) => fs.existsSync(path.join(CORPUS_DIR, f)))) {
    return { manifest: existing, regenerated: false };
  }
  const started = performance.now();
  const corpus = generateCorpus({ files, seed });
  fs.rmSync(CORPUS_DIR, { recursive: true, force: true });
  for (const f of corpus) {
    const target = path.join(CORPUS_DIR, f.file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.text);
  }
  fs.writeFileSync(path.join(CORPUS_DIR, 'tsconfig.json'), JSON.stringify(CORPUS_TSCONFIG, null, 2) + '\n');
  // Its own project root (as a real monorepo has): the plugin and its project index see the corpus, not the repository around it.
  fs.writeFileSync(path.join(CORPUS_DIR, 'package.json'), JSON.stringify({ name: 'stateless-bench-corpus', private: true }, null, 2) + '\n');
  const manifest = {
    key,
    stats: summarize(corpus),
    files: corpus.map((f) => f.file),
    hazards: corpus.flatMap((f) => f.hazards.map((h) => ({ file: f.file, ...h }))),
    lookalikes: corpus.flatMap((f) => f.lookalikes.map((kind) => ({ file: f.file, kind }))),
  };
  fs.writeFileSync(MANIFEST_FILE, JSON.stringify(manifest, null, 1) + '\n');
  log(`corpus: generated ${files} files (seed ${seed}) in ${Math.round(performance.now() - started)} ms → ${path.relative(process.cwd(), CORPUS_DIR)}`);
  return { manifest, regenerated: true };
}

export function parseCorpusArgs(argv) {
  const value = (flag, fallback) => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
    return n;
  };
  return { files: value('--files', DEFAULT_FILES), seed: value('--seed', DEFAULT_SEED), force: argv.includes('--force') };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseCorpusArgs(process.argv.slice(2));
  const { manifest, regenerated } = ensureCorpus(options);
  if (!regenerated) console.log('corpus: up to date');
  const s = manifest.stats;
  console.log(`${s.files} files, ${s.lines} lines (avg ${s.avgLines}, min ${s.minLines}, max ${s.maxLines}), ${(s.bytes / 1048576).toFixed(1)} MiB, ${s.filesWithHazards} files with planted hazards (${manifest.hazards.length} hazards)`);
  for (const [kind, k] of Object.entries(s.byKind)) console.log(`  ${kind.padEnd(10)} ${String(k.files).padStart(5)} files  avg ${Math.round(k.lines / k.files)} lines`);
}
