'use strict';

const { Pool } = require('pg');
const Config = require('../config');

// Writes go to the primary; the members' lists are read from the standby.
const primary = new Pool({ connectionString: Config.databaseUrl, max: 10 });
const replica = new Pool({ connectionString: Config.replicaUrl, max: 10 });

const createSchema = async () => {

    await primary.query(`CREATE TABLE IF NOT EXISTS members (
        id SERIAL PRIMARY KEY, email TEXT UNIQUE NOT NULL, name TEXT NOT NULL,
        password_hash TEXT NOT NULL, salt TEXT NOT NULL)`);
    await primary.query(`CREATE TABLE IF NOT EXISTS machines (
        id SERIAL PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'working')`);
    await primary.query(`CREATE TABLE IF NOT EXISTS bookings (
        id SERIAL PRIMARY KEY, machine_id INTEGER NOT NULL REFERENCES machines(id),
        member_id INTEGER NOT NULL REFERENCES members(id), day DATE NOT NULL, slot INTEGER NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    await primary.query(`CREATE TABLE IF NOT EXISTS designs (
        id SERIAL PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES members(id),
        filename TEXT NOT NULL, original_name TEXT NOT NULL, size INTEGER NOT NULL)`);
};

module.exports = { primary, replica, createSchema };
