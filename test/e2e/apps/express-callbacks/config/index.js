var fs = require('fs');
var path = require('path');

// read once when the app boots
var settings = JSON.parse(fs.readFileSync(path.join(__dirname, 'settings.json'), 'utf8'));

settings.port = process.env.PORT || 3000;
settings.databaseUrl = process.env.DATABASE_URL || 'postgres://localhost:5432/bookclub';
settings.replicaUrl = process.env.DATABASE_REPLICA_URL || settings.databaseUrl;
settings.uploadDir = process.env.UPLOAD_DIR || path.join(__dirname, '..', 'uploads');
settings.exportDir = path.join(settings.uploadDir, 'exports');
settings.sessionSecret = process.env.SESSION_SECRET || 'keyboard cat';

module.exports = settings;
