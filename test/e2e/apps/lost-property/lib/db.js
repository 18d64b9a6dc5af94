var pg = require('pg');
var config = require('../config');

// The primary takes the writes; the public lists are served by the standby.
var primary = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
var replica = new pg.Pool({ connectionString: config.replicaUrl, max: 10 });

function createSchema() {
  return primary.query(
    'CREATE TABLE IF NOT EXISTS staff (' +
      ' id SERIAL PRIMARY KEY, email TEXT UNIQUE NOT NULL, name TEXT NOT NULL,' +
      ' password_hash TEXT NOT NULL, salt TEXT NOT NULL)'
  ).then(function () {
    return primary.query(
      'CREATE TABLE IF NOT EXISTS items (' +
        ' id SERIAL PRIMARY KEY, category TEXT NOT NULL, description TEXT NOT NULL,' +
        ' found_at TEXT NOT NULL, status TEXT NOT NULL DEFAULT \'waiting\', photo TEXT,' +
        ' logged_by INTEGER REFERENCES staff(id), created_at TIMESTAMPTZ NOT NULL DEFAULT now())'
    );
  }).then(function () {
    return primary.query(
      'CREATE TABLE IF NOT EXISTS claims (' +
        ' id SERIAL PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id), name TEXT NOT NULL,' +
        ' email TEXT NOT NULL, details TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now())'
    );
  });
}

module.exports = { primary: primary, replica: replica, createSchema: createSchema };
