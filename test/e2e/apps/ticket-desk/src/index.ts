import fs from 'fs';
import http from 'http';
import app from './app';
import { config } from './config';
import { createSchema } from './db/schema';
import { scheduleDigest } from './jobs/digest';
import { attachLiveUpdates } from './realtime/hub';

fs.mkdirSync(config.uploadDir, { recursive: true });

const server = http.createServer(app);
attachLiveUpdates(server);

createSchema()
  .then(() => {
    scheduleDigest();
    server.listen(config.port, () => console.log(`ticket-desk listening on :${config.port}`));
  })
  .catch((err) => {
    console.error('could not create the schema', err);
    process.exit(1);
  });
