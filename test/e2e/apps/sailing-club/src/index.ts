import 'reflect-metadata';
import fs from 'fs';
import { createApp } from './app';
import { config } from './config';
import { AppDataSource, createSchema, ReplicaDataSource } from './data-source';
import { scheduleNightly } from './jobs/nightly';

async function main() {
  fs.mkdirSync(config.uploadDir, { recursive: true });
  await AppDataSource.initialize();
  await ReplicaDataSource.initialize();
  await createSchema();
  scheduleNightly();

  const app = createApp();
  app.listen(config.port, () => {
    console.log(`${config.club.name} listening on ${config.port}`);
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
