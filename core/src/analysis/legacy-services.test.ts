import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { createProgram } from '../testing/program';
import { ProjectIndex } from '../project-index/project-index';
import { removeProject, writeProject } from '../testing/disk-project';

// Older plain-JavaScript services: constructor functions whose methods live one per file and are hung
// on the prototype where they are required, built and started by a factory the entry module calls
// before it calls the function (of another module) that starts the HTTP server.

const roots: string[] = [];
afterAll(() => roots.forEach(removeProject));

const entry = `const Hub = require('./core');
const { serve } = require('./http');

process.on('SIGINT', () => process.exit(0));

(async () => {
  const hub = Hub({ dataDir: process.env.DATA_DIR });
  await hub.start();
  serve(hub, Number(process.env.PORT || 8080));
})();
`;

const http = `const express = require('express');

function serve(hub, port) {
  const app = express();
  app.get('/api/v1/meters', async (req, res) => res.json(await hub.meters.list()));
  app.listen(port);
}

module.exports = { serve };
`;

const factory = `const MeterManager = require('./meter');

function Hub(params) {
  const meters = new MeterManager(params.dataDir);
  const hub = {
    meters,
    start: async () => {
      await meters.init();
    },
  };
  return Object.freeze(hub);
}

module.exports = Hub;
`;

const manager = `const { init } = require('./meter.init');
const { list } = require('./meter.list');
const { startReading } = require('./meter.startReading');
const { readAll } = require('./meter.readAll');

const MeterManager = function MeterManager(dataDir) {
  this.dataDir = dataDir;
  this.metersByPeriod = {};
};

MeterManager.prototype.init = init;
MeterManager.prototype.list = list;
MeterManager.prototype.startReading = startReading;
MeterManager.prototype.readAll = readAll;

module.exports = MeterManager;
`;

const init = `async function init() {
  this.ready = true;
  this.startReading();
}

module.exports = { init };
`;

const list = `const db = require('../db');

async function list() {
  return db.Meter.findAll();
}

module.exports = { list };
`;

const startReading = `function startReading() {
  // one reading round per period
  setInterval(this.readAll(60000), 60000);
  setInterval(this.readAll(5000), 5000);
}

module.exports = { startReading };
`;

/** The round writes each reading to the database; `format` only writes to the log. */
const readAll = (round: string): string => `const db = require('../db');
const logger = require('../logger');

function readAll(period) {
  return async () => {
    for (const meter of this.metersByPeriod[period] || []) {
      ${round}
    }
  };
}

module.exports = { readAll };
`;

const db = "const { Sequelize } = require('sequelize');\nconst sequelize = new Sequelize('sqlite::memory:');\nmodule.exports = { sequelize, Meter: sequelize.define('meter', {}), Reading: sequelize.define('reading', {}) };\n";
const logger = 'module.exports = { info: (...args) => console.log(...args) };\n';

const SAVES = 'await db.Reading.create({ meterId: meter.id, at: new Date() });';
const FORMATS = "logger.info(`${meter.name}: ${meter.unit}`);";

function service(round: string, main = entry): Record<string, string> {
  return {
    'index.js': main,
    'http/index.js': http,
    'core/index.js': factory,
    'core/meter/index.js': manager,
    'core/meter/meter.init.js': init,
    'core/meter/meter.list.js': list,
    'core/meter/meter.startReading.js': startReading,
    'core/meter/meter.readAll.js': readAll(round),
    'core/db.js': db,
    'core/logger.js': logger,
  };
}

const READING = 'core/meter/meter.startReading.js';

/** `line: work` of the scheduler findings in `file`, untyped with the project index (ESLint without types). */
function untyped(files: Record<string, string>, file: string): string[] {
  const root = writeProject({ 'package.json': '{ "name": "hub", "dependencies": { "express": "4", "sequelize": "6" } }', ...files });
  roots.push(root);
  const index = new ProjectIndex(root);
  const sourceFile = index.sourceFile(`${root}/${file}`)!;
  return analyzeSourceFile(sourceFile, { projectIndex: index, projectRoot: root, rules: ['no-in-process-scheduler'] }).map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`);
}

/** The same, typed: a JavaScript program (allowJs), with or without checkJs. */
function typed(files: Record<string, string>, file: string, checkJs: boolean): string[] {
  const program = createProgram(Object.fromEntries(Object.entries(files).map(([name, text]) => [`/hub/${name}`, text])), { checkJs, strict: false });
  const sourceFile = program.getSourceFile(`/hub/${file}`)!;
  return analyzeSourceFile(sourceFile, { program, projectRoot: '/hub', rules: ['no-in-process-scheduler'] }).map((finding) => `${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}: ${finding.message}`);
}

const expected = [
  '3: `setInterval` runs in every instance of the web process: the job writes to the database (`db.Reading.create`) every minute. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
  '4: `setInterval` runs in every instance of the web process: the job writes to the database (`db.Reading.create`) every 5 seconds. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.',
];

describe('no-in-process-scheduler: a service of constructor functions with one method per file, started by its factory', () => {
  it('untyped: the entry module calls the imported function that starts the server, after the factory-made service\'s start(); the method hung on the prototype calls this.readAll()', () => {
    expect(untyped(service(SAVES), READING)).toEqual(expected);
  });

  it('typed (allowJs), with checkJs off and on (a method that assigns this.ready is then a class of its own to the checker)', () => {
    expect(typed(service(SAVES), READING, false)).toEqual(expected);
    expect(typed(service(SAVES), READING, true)).toEqual(expected);
  });

  it('quiet: rounds that only format for the log; a service that only a script builds and starts, the server started without it', () => {
    expect(untyped(service(FORMATS), READING)).toEqual([]);
    expect(typed(service(FORMATS), READING, false)).toEqual([]);
    const serverOnly = "const { serve } = require('./http');\n\nserve({ meters: { list: async () => [] } }, 8080);\n";
    const script = "const Hub = require('../core');\n\n(async () => {\n  await Hub({}).start();\n})();\n";
    const files = { ...service(SAVES, serverOnly), 'scripts/backfill.js': script };
    expect(untyped(files, READING)).toEqual([]);
    expect(typed(files, READING, false)).toEqual([]);
  });

  it('quiet: a function that uses `this` but that no module hangs on a prototype resolves nothing through it', () => {
    const files = service(SAVES);
    files['core/meter/index.js'] = manager.replace('MeterManager.prototype.startReading = startReading;\n', 'MeterManager.prototype.startReading = function () {};\n');
    expect(untyped(files, READING)).toEqual([]);
    expect(typed(files, READING, false)).toEqual([]);
  });
});
