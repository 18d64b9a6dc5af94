import app from './app';
import { config } from './config';
import { migrate } from './db/pool';

migrate()
  .then(() => {
    app.listen(config.port, () => console.log(`invoicer-api listening on :${config.port}`));
  })
  .catch((err) => {
    console.error('migration failed', err);
    process.exit(1);
  });
