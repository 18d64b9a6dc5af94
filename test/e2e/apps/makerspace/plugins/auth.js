'use strict';

const Joi = require('joi');
const Db = require('../lib/db');
const Sessions = require('../lib/sessions');
const Passwords = require('../lib/passwords');
const Attempts = require('../lib/attempts');
const Config = require('../config');

const credentials = Joi.object({
    name: Joi.string().max(80),
    email: Joi.string().email({ tlds: { allow: false } }).required(),
    password: Joi.string().min(6).required()
});

const publicMember = (row) => ({ id: row.id, name: row.name, email: row.email });

exports.plugin = {
    name: 'auth',
    register: async (server) => {

        await server.register(require('@hapi/cookie'));

        server.auth.strategy('session', 'cookie', {
            cookie: {
                name: 'sid',
                password: Config.cookiePassword,
                isSecure: false,
                path: '/'
            },
            validate: (request, session) => {

                const member = Sessions.get(session.sid);
                if (!member) {
                    return { isValid: false };
                }

                return { isValid: true, credentials: member };
            }
        });

        server.auth.default('session');

        server.route({
            method: 'POST',
            path: '/api/signup',
            options: {
                auth: false,
                validate: { payload: credentials.keys({ name: Joi.string().max(80).required() }) }
            },
            handler: async (request, h) => {

                const { name, email, password } = request.payload;
                const salt = Passwords.salt();
                const hash = Passwords.hash(password, salt);
                try {
                    const { rows } = await Db.primary.query(
                        'INSERT INTO members (email, name, password_hash, salt) VALUES ($1, $2, $3, $4) RETURNING id, name, email',
                        [email.toLowerCase(), name, hash, salt]);
                    return h.response({ member: publicMember(rows[0]) }).code(201);
                }
                catch (err) {
                    if (err.code === '23505') {
                        return h.response({ error: 'that address is taken' }).code(409);
                    }

                    throw err;
                }
            }
        });

        server.route({
            method: 'POST',
            path: '/api/login',
            options: {
                auth: { mode: 'try' },
                validate: { payload: credentials }
            },
            handler: async (request, h) => {

                const ip = request.info.remoteAddress;
                if (Attempts.locked(ip)) {
                    return h.response({ error: 'too many wrong passwords, try again later' }).code(429);
                }

                const { email, password } = request.payload;
                const { rows } = await Db.primary.query('SELECT * FROM members WHERE email = $1', [email.toLowerCase()]);
                const member = rows[0];
                if (!member || Passwords.hash(password, member.salt) !== member.password_hash) {
                    Attempts.failed(ip);
                    return h.response({ error: 'wrong email or password' }).code(401);
                }

                Attempts.succeeded(ip);
                const sid = Sessions.create(member);
                request.cookieAuth.set({ sid });
                return { member: publicMember(member) };
            }
        });

        server.route({
            method: 'POST',
            path: '/api/logout',
            handler: (request, h) => {

                Sessions.destroy(request.state.sid.sid);
                request.cookieAuth.clear();
                return { ok: true };
            }
        });

        server.route({
            method: 'GET',
            path: '/api/me',
            handler: (request) => {

                const { id, name, email } = request.auth.credentials;
                return { member: { id, name, email } };
            }
        });
    }
};
