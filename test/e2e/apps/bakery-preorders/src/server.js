import { mkdirSync } from 'node:fs';
import Fastify from 'fastify';
import fastifyMultipart from '@fastify/multipart';
import config from './config.js';
import db from './db.js';
import auth from './plugins/auth.js';
import accountRoutes from './routes/account.js';
import productRoutes from './routes/products.js';
import orderRoutes from './routes/orders.js';
import kitchenRoutes from './routes/kitchen.js';
import { startJobs } from './jobs.js';

mkdirSync(config.uploadDir, { recursive: true });

const app = Fastify({ logger: { level: process.env.LOG_LEVEL || 'warn' } });

await app.register(db);
await app.register(auth);
await app.register(fastifyMultipart, { limits: { fileSize: 5 * 1024 * 1024, files: 1 } });

app.get('/health', async () => ({ ok: true, shop: config.shop.name }));

await app.register(accountRoutes);
await app.register(productRoutes);
await app.register(orderRoutes);
await app.register(kitchenRoutes);

await app.listen({ port: config.port, host: '0.0.0.0' });
startJobs(app);
