import { buildApp } from './app';

buildApp()
  .then((app) => app.listen({ port: Number(process.env.PORT) || 3000, host: '0.0.0.0' }))
  .then((address) => console.log(`helpdesk listening at ${address}`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
