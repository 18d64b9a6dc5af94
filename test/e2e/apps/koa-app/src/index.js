import app from './app.js';
import config from './config.js';
import { migrate } from './db.js';

await migrate();
app.listen(config.port, () => console.log(`snapshots listening on ${config.port}`));
