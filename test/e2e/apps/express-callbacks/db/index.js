var pg = require('pg');
var config = require('../config');

// writes go to the primary, reads to the replica (set DATABASE_REPLICA_URL in prod)
var primary = new pg.Pool({ connectionString: config.databaseUrl, max: 10 });
var replica = new pg.Pool({ connectionString: config.replicaUrl, max: 10 });

primary.on('error', function (err) {
  console.error('idle client error (primary)', err.message);
});
replica.on('error', function (err) {
  console.error('idle client error (replica)', err.message);
});

module.exports = {
  query: function (text, params, callback) {
    return primary.query(text, params, callback);
  },
  read: function (text, params, callback) {
    return replica.query(text, params, callback);
  },
  primary: primary,
  replica: replica
};
