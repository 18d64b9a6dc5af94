'use strict';

const Boom = require('@hapi/boom');
const Joi = require('joi');
const Db = require('../lib/db');
const MachineTypes = require('../lib/machine-types');

const getMachine = async (id) => {

    const { rows } = await Db.primary.query('SELECT id, name, type, status FROM machines WHERE id = $1', [id]);
    return rows[0] || null;
};

exports.plugin = {
    name: 'machines',
    register: (server) => {

        // Machines are read on every booking and hardly ever change: keep each row for ten minutes
        // (a status change drops it).
        server.method('getMachine', getMachine, {
            cache: { expiresIn: 10 * 60 * 1000, generateTimeout: 2000 }
        });

        server.route({
            method: 'GET',
            path: '/api/machine-types',
            options: { auth: false },
            handler: () => ({ types: MachineTypes })
        });

        server.route({
            method: 'GET',
            path: '/api/machines',
            options: { auth: false },
            handler: async () => {

                const { rows } = await Db.replica.query('SELECT id, name, type, status FROM machines ORDER BY id');
                return { machines: rows };
            }
        });

        server.route({
            method: 'POST',
            path: '/api/machines',
            options: {
                validate: {
                    payload: Joi.object({
                        name: Joi.string().max(80).required(),
                        type: Joi.string().valid(...Object.keys(MachineTypes)).required()
                    })
                }
            },
            handler: async (request, h) => {

                const { name, type } = request.payload;
                const { rows } = await Db.primary.query(
                    'INSERT INTO machines (name, type) VALUES ($1, $2) RETURNING id, name, type, status', [name, type]);
                return h.response({ machine: rows[0] }).code(201);
            }
        });

        server.route({
            method: 'GET',
            path: '/api/machines/{id}',
            options: {
                auth: false,
                validate: { params: Joi.object({ id: Joi.number().integer().required() }) }
            },
            handler: async (request) => {

                const machine = await server.methods.getMachine(request.params.id);
                if (!machine) {
                    throw Boom.notFound('no such machine');
                }

                return { machine, type: MachineTypes[machine.type] };
            }
        });

        server.route({
            method: 'POST',
            path: '/api/machines/{id}/status',
            options: {
                validate: {
                    params: Joi.object({ id: Joi.number().integer().required() }),
                    payload: Joi.object({ status: Joi.string().valid('working', 'out-of-order').required() })
                }
            },
            handler: async (request) => {

                const { rows } = await Db.primary.query(
                    'UPDATE machines SET status = $1 WHERE id = $2 RETURNING id, name, type, status',
                    [request.payload.status, request.params.id]);
                if (!rows[0]) {
                    throw Boom.notFound('no such machine');
                }

                await server.methods.getMachine.cache.drop(request.params.id);
                return { machine: rows[0] };
            }
        });
    }
};
