import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A notes server's sweeps (held-out round 36b): `setInterval(cls.wrap(() => eraseDeletedEntities()), …)`
// erases rows through the service's SQL module, `sql.executeMany('DELETE FROM notes WHERE noteId IN (???)', ids)`:
// one statement run over many rows of parameters, as node-oracledb's `executeMany` is, writes as `execute`
// does. A sweep that only reads through the same module stays quiet.

afterAll(removeAnalysedProjects);

const files = (work: string) => ({
  'src/cls.js': `const clsHooked = require('cls-hooked');
const namespace = clsHooked.createNamespace('app');

function wrap(callback) {
  return () => {
    try {
      namespace.runAndReturn(callback);
    } catch (e) {
      console.log(e.message);
    }
  };
}

module.exports = { wrap };
`,
  'src/sql.js': `const Database = require('better-sqlite3');
const dbConnection = new Database('document.db');

function getManyRows(query, params) {
  return dbConnection.prepare(query).all(params);
}

function executeMany(query, params) {
  for (const p of params) dbConnection.prepare(query).run(p);
}

module.exports = { getManyRows, executeMany };
`,
  'src/erase.js': `const sql = require('./sql.js');
const cls = require('./cls.js');

function eraseNotes(ids) {
  ${work}
}

function eraseDeletedEntities() {
  eraseNotes(sql.getManyRows('SELECT noteId FROM notes WHERE isDeleted = 1', []).map((row) => row.noteId));
}

setInterval(cls.wrap(() => eraseDeletedEntities()), 4 * 3600 * 1000);

module.exports = { eraseDeletedEntities };
`,
  'src/app.js': `const express = require('express');
require('./erase.js');

const app = express();
app.get('/health', (req, res) => res.send('ok'));
app.listen(3000);
`,
});

describe('a statement run over many rows of parameters', () => {
  it('a writing statement is a database write: the sweep every instance runs is reported (typed and untyped)', () => {
    const project = files("sql.executeMany('DELETE FROM notes WHERE noteId IN (???)', ids);");
    const reported =
      '12:1 no-in-process-scheduler: `setInterval` runs in every instance of the web process: `eraseDeletedEntities()` writes to the database (`sql.executeMany`) every 4 hours. With N instances that happens N times; schedule it once on the job queue, or hold a leader lock.';
    expect(typedFindings(project, 'src/erase.js', ['no-in-process-scheduler'])).toEqual([reported]);
    expect(untypedFindings(project, 'src/erase.js', ['no-in-process-scheduler'])).toEqual([reported]);
  });

  it('a sweep that only reads through the same module is quiet', () => {
    const project = files("console.log(sql.getManyRows('SELECT title FROM notes WHERE noteId IN (???)', ids));");
    expect(typedFindings(project, 'src/erase.js', ['no-in-process-scheduler'])).toEqual([]);
    expect(untypedFindings(project, 'src/erase.js', ['no-in-process-scheduler'])).toEqual([]);
  });
});
