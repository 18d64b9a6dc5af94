'use strict';

const Fs = require('fs');
const Path = require('path');
const Crypto = require('crypto');
const { pipeline } = require('stream/promises');
const Boom = require('@hapi/boom');
const Joi = require('joi');
const Db = require('../lib/db');
const Config = require('../config');

const ALLOWED = ['.svg', '.dxf', '.stl', '.gcode'];

exports.plugin = {
    name: 'designs',
    register: (server) => {

        server.route({
            method: 'POST',
            path: '/api/designs',
            options: {
                payload: {
                    output: 'stream',
                    parse: true,
                    multipart: true,
                    maxBytes: 5 * 1024 * 1024
                }
            },
            handler: async (request, h) => {

                const file = request.payload && request.payload.file;
                if (!file || !file.hapi) {
                    throw Boom.badRequest('send the design as "file"');
                }

                const original = Path.basename(file.hapi.filename);
                const ext = Path.extname(original).toLowerCase();
                if (!ALLOWED.includes(ext)) {
                    file.resume();
                    throw Boom.unsupportedMediaType(`${ext || 'that'} is not a design file we cut`);
                }

                const filename = Crypto.randomBytes(12).toString('hex') + ext;
                await pipeline(file, Fs.createWriteStream(Path.join(Config.uploadDir, filename)));
                const { size } = await Fs.promises.stat(Path.join(Config.uploadDir, filename));

                const { rows } = await Db.primary.query(
                    'INSERT INTO designs (member_id, filename, original_name, size) VALUES ($1, $2, $3, $4) RETURNING id',
                    [request.auth.credentials.id, filename, original, size]);
                const id = rows[0].id;
                return h.response({ design: { id, name: original, size, url: `/api/designs/${id}/file` } }).code(201);
            }
        });

        server.route({
            method: 'GET',
            path: '/api/designs/{id}/file',
            options: {
                validate: { params: Joi.object({ id: Joi.number().integer().required() }) }
            },
            handler: async (request, h) => {

                const { rows } = await Db.primary.query('SELECT filename, original_name FROM designs WHERE id = $1', [request.params.id]);
                if (!rows[0]) {
                    throw Boom.notFound('no such design');
                }

                return h.file(rows[0].filename, { mode: 'attachment', filename: rows[0].original_name });
            }
        });
    }
};
