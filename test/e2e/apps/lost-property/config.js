var fs = require('fs');
var path = require('path');

// office.json is part of the deployment: read once when the process starts.
var office = JSON.parse(fs.readFileSync(path.join(__dirname, 'office.json'), 'utf8'));

module.exports = {
  port: Number(process.env.PORT || 3000),
  databaseUrl: process.env.DATABASE_URL || 'postgres://localhost/lost_property',
  replicaUrl: process.env.DATABASE_REPLICA_URL || process.env.DATABASE_URL || 'postgres://localhost/lost_property',
  uploadDir: process.env.UPLOAD_DIR || path.join(__dirname, 'uploads'),
  office: office,
  smtp: process.env.SMTP_HOST ? { host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT || 587) } : null,
};
