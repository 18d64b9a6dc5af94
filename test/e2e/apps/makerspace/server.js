'use strict';

const Fs = require('fs');
const Hapi = require('@hapi/hapi');
const Config = require('./config');
const Db = require('./lib/db');
const Live = require('./lib/live');
const Nightly = require('./jobs/nightly');

Fs.mkdirSync(Config.uploadDir, { recursive: true });

const init = async () => {

    const server = Hapi.server({
        port: Config.port,
        host: '0.0.0.0',
        routes: {
            files: { relativeTo: Config.uploadDir },
            validate: {
                failAction: (request, h, err) => {

                    throw err;
                }
            }
        }
    });

    await server.register(require('@hapi/inert'));
    await server.register([
        require('./plugins/auth'),
        require('./plugins/machines'),
        require('./plugins/bookings'),
        require('./plugins/designs')
    ]);

    server.route({
        method: 'GET',
        path: '/health',
        options: { auth: false },
        handler: () => ({ ok: true })
    });

    Live.attach(server.listener);

    await Db.createSchema();
    await server.start();
    Nightly.start();
    console.log(`${Config.space.name} listening on ${server.info.uri}`);
};

process.on('unhandledRejection', (err) => {

    console.error(err);
    process.exit(1);
});

init();
