import fs from 'node:fs';
import http from 'node:http';
import { createApp } from './app.js';
import { config } from './config.js';
import { initDatabase } from './db/client.js';
import { scheduleDailyReport } from './jobs/daily-report.js';
import { startCartExpiry } from './jobs/expire-carts.js';
import { attachRealtime } from './realtime.js';
import { loadCategories } from './services/catalog.js';

// quiet: *Sync writes at start-up, before the server accepts requests
for (const dir of [config.uploadDir, config.invoiceDir, config.productImageDir]) fs.mkdirSync(dir, { recursive: true });

await initDatabase();
await loadCategories();

const httpServer = http.createServer(createApp());
attachRealtime(httpServer);
startCartExpiry();
scheduleDailyReport();

httpServer.listen(config.port, () => {
  console.log(`legacy-shop listening on http://localhost:${config.port} (pid ${process.pid})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`legacy-shop: ${signal}, shutting down`);
    httpServer.close();
    process.exit(0);
  });
}
