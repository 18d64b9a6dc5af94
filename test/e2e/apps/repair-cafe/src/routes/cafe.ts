import Router from '@koa/router';
import { config } from '../config.js';
import { CATEGORIES } from '../lib/categories.js';
import { addScreen } from '../lib/screen.js';
import { tally } from '../lib/tally.js';

export const cafe = new Router({ prefix: '/api' });

cafe.get('/categories', (ctx) => {
  ctx.body = { cafe: config.cafe.name, categories: CATEGORIES };
});

cafe.get('/tally', (ctx) => {
  ctx.body = tally();
});

cafe.get('/screen', (ctx) => {
  ctx.request.socket.setTimeout(0);
  ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  ctx.status = 200;
  ctx.body = addScreen();
});
