'use strict';

const knex = require('knex');
const config = require('../config');

const db = knex({ client: 'pg', connection: config.databaseUrl, pool: { min: 0, max: 10 } });
// reports and lists go to the read replica
const readDb = knex({ client: 'pg', connection: config.replicaUrl, pool: { min: 0, max: 10 } });

async function migrate() {
  if (!(await db.schema.hasTable('users'))) {
    await db.schema.createTable('users', (t) => {
      t.increments('id');
      t.string('email').notNullable().unique();
      t.string('name').notNullable();
      t.string('password_hash').notNullable();
      t.boolean('admin').notNullable().defaultTo(false);
    });
  }
  if (!(await db.schema.hasTable('rooms'))) {
    await db.schema.createTable('rooms', (t) => {
      t.increments('id');
      t.string('name').notNullable().unique();
      t.string('kind').notNullable();
      t.integer('seats').notNullable();
      t.integer('price').notNullable();
      t.string('photo');
    });
  }
  if (!(await db.schema.hasTable('bookings'))) {
    await db.schema.createTable('bookings', (t) => {
      t.increments('id');
      t.integer('room_id').notNullable().references('rooms.id');
      t.integer('user_id').notNullable().references('users.id');
      t.string('day', 10).notNullable();
      t.integer('hour').notNullable();
      t.integer('hours').notNullable();
      t.timestamp('created_at').notNullable().defaultTo(db.fn.now());
    });
  }
  if (!(await db.schema.hasTable('digests'))) {
    await db.schema.createTable('digests', (t) => {
      t.increments('id');
      t.integer('bookings').notNullable();
      t.timestamp('sent_at').notNullable().defaultTo(db.fn.now());
    });
  }
  for (const room of config.rooms.seed) {
    await db('rooms').insert(room).onConflict('name').ignore();
  }
}

module.exports = { db, readDb, migrate };
