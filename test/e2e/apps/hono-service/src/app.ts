import { Hono } from 'hono';
import { settings } from './config.js';
import boards from './routes/boards.js';
import files from './routes/files.js';
import users from './routes/users.js';
import type { AppEnv } from './types.js';

export const app = new Hono<AppEnv>();

app.get('/', (c) => c.json({ name: settings().brand, version: settings().version }));

app.route('/api', users);
app.route('/api/boards', boards);
app.route('/api', files);

app.notFound((c) => c.json({ error: 'not found' }, 404));
app.onError((err, c) => {
  console.error(err);
  return c.json({ error: 'something went wrong' }, 500);
});
