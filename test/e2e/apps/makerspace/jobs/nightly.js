'use strict';

const Cron = require('node-cron');
const Db = require('../lib/db');
const Mailer = require('../lib/mailer');
const Bookings = require('../plugins/bookings');

// At midnight: a new day's count, and tomorrow's reminders.
exports.start = () => {

    return Cron.schedule('0 0 * * *', async () => {

        Bookings.resetDay();
        const { rows } = await Db.primary.query(
            `SELECT m.email, x.name AS machine, b.slot FROM bookings b
             JOIN members m ON m.id = b.member_id JOIN machines x ON x.id = b.machine_id
             WHERE b.day = current_date + 1`);
        await Mailer.reminders(rows);
    });
};
