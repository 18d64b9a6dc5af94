'use strict';

const Boom = require('@hapi/boom');
const Joi = require('joi');
const { Mutex } = require('async-mutex');
const Db = require('../lib/db');
const Mailer = require('../lib/mailer');
const Live = require('../lib/live');
const MachineTypes = require('../lib/machine-types');
const Config = require('../config');

// One booking at a time: the slot check and the insert must not interleave.
const bookingLock = new Mutex();

// Bookings taken since midnight; the nightly job puts it back to zero.
let bookingsToday = 0;

exports.resetDay = () => {

    bookingsToday = 0;
};

exports.plugin = {
    name: 'bookings',
    register: (server) => {

        server.route({
            method: 'POST',
            path: '/api/machines/{id}/bookings',
            options: {
                validate: {
                    params: Joi.object({ id: Joi.number().integer().required() }),
                    payload: Joi.object({
                        day: Joi.string().pattern(/^\d{4}-\d{2}-\d{2}$/).required(),
                        slot: Joi.number().integer().min(1).max(Config.space.slotsPerDay).required()
                    })
                }
            },
            handler: async (request, h) => {

                const member = request.auth.credentials;
                const machine = await server.methods.getMachine(request.params.id);
                if (!machine) {
                    throw Boom.notFound('no such machine');
                }

                if (machine.status !== 'working') {
                    throw Boom.conflict(`${machine.name} is out of order`);
                }

                const { day, slot } = request.payload;
                const booking = await bookingLock.runExclusive(async () => {

                    const taken = await Db.primary.query(
                        'SELECT id FROM bookings WHERE machine_id = $1 AND day = $2 AND slot = $3', [machine.id, day, slot]);
                    if (taken.rows.length > 0) {
                        return null;
                    }

                    const mine = await Db.primary.query(
                        'SELECT count(*)::int AS n FROM bookings WHERE machine_id = $1 AND day = $2 AND member_id = $3',
                        [machine.id, day, member.id]);
                    if (mine.rows[0].n >= MachineTypes[machine.type].maxSlots) {
                        throw Boom.conflict(`at most ${MachineTypes[machine.type].maxSlots} slots a day on ${machine.name}`);
                    }

                    const { rows } = await Db.primary.query(
                        `INSERT INTO bookings (machine_id, member_id, day, slot) VALUES ($1, $2, $3, $4)
                         RETURNING id, machine_id AS "machineId", to_char(day, 'YYYY-MM-DD') AS day, slot`,
                        [machine.id, member.id, day, slot]);
                    return rows[0];
                });

                if (!booking) {
                    throw Boom.conflict('that slot is taken');
                }

                bookingsToday += 1;
                await Mailer.bookingConfirmed(member, machine, booking);
                Live.booked({ machine: machine.name, day: booking.day, slot: booking.slot });

                const upcoming = await Db.replica.query(
                    'SELECT count(*)::int AS n FROM bookings WHERE member_id = $1 AND day >= $2', [member.id, day]);
                return h.response({ booking, number: bookingsToday, upcoming: upcoming.rows[0].n }).code(201);
            }
        });

        server.route({
            method: 'GET',
            path: '/api/bookings',
            handler: async (request) => {

                const { rows } = await Db.primary.query(
                    `SELECT b.id, m.name AS machine, to_char(b.day, 'YYYY-MM-DD') AS day, b.slot
                     FROM bookings b JOIN machines m ON m.id = b.machine_id
                     WHERE b.member_id = $1 ORDER BY b.day, b.slot`, [request.auth.credentials.id]);
                return { bookings: rows };
            }
        });

        server.route({
            method: 'GET',
            path: '/api/stats',
            options: { auth: false },
            handler: () => ({ bookingsToday })
        });
    }
};
