var db = require('./index');

var statements = [
  'CREATE TABLE IF NOT EXISTS members (' +
    ' id SERIAL PRIMARY KEY,' +
    ' email TEXT UNIQUE NOT NULL,' +
    ' name TEXT NOT NULL,' +
    ' password_hash TEXT NOT NULL,' +
    ' created_at TIMESTAMPTZ NOT NULL DEFAULT now())',
  'CREATE TABLE IF NOT EXISTS books (' +
    ' id SERIAL PRIMARY KEY,' +
    ' title TEXT NOT NULL,' +
    ' author TEXT NOT NULL,' +
    ' genre TEXT NOT NULL,' +
    ' cover TEXT,' +
    ' added_by INTEGER REFERENCES members(id),' +
    ' created_at TIMESTAMPTZ NOT NULL DEFAULT now())',
  'CREATE TABLE IF NOT EXISTS reviews (' +
    ' id SERIAL PRIMARY KEY,' +
    ' book_id INTEGER NOT NULL REFERENCES books(id),' +
    ' member_id INTEGER NOT NULL REFERENCES members(id),' +
    ' rating INTEGER NOT NULL,' +
    ' body TEXT NOT NULL,' +
    ' created_at TIMESTAMPTZ NOT NULL DEFAULT now())'
];

// runs the statements one after the other
module.exports = function createSchema(done) {
  var i = 0;
  (function next(err) {
    if (err) return done(err);
    if (i >= statements.length) return done(null);
    db.query(statements[i++], [], next);
  })();
};
