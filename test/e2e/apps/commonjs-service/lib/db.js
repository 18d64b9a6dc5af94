'use strict';

const { Pool } = require('pg');
const settings = require('./settings');

const primary = new Pool({ connectionString: settings.db.primary });
const replica = new Pool({ connectionString: settings.db.replica });

async function init() {
  await primary.query(`CREATE TABLE IF NOT EXISTS accounts (
    id SERIAL PRIMARY KEY,
    username TEXT UNIQUE NOT NULL,
    salt TEXT NOT NULL,
    hash TEXT NOT NULL
  )`);
  await primary.query(`CREATE TABLE IF NOT EXISTS documents (
    name TEXT PRIMARY KEY,
    owner INTEGER NOT NULL REFERENCES accounts(id),
    size INTEGER NOT NULL,
    sha256 TEXT,
    uploaded_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`);
  await primary.query(`CREATE TABLE IF NOT EXISTS comments (
    id SERIAL PRIMARY KEY,
    document TEXT NOT NULL REFERENCES documents(name),
    author TEXT NOT NULL,
    text TEXT NOT NULL
  )`);
}

module.exports = { primary, replica, init };
