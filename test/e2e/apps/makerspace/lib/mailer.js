'use strict';

const Nodemailer = require('nodemailer');
const Config = require('../config');

const transport = Config.smtp ? Nodemailer.createTransport(Config.smtp) : Nodemailer.createTransport({ jsonTransport: true });

exports.bookingConfirmed = (member, machine, booking) => {

    const hour = Config.space.openingHour + booking.slot - 1;
    return transport.sendMail({
        from: Config.space.sender,
        to: member.email,
        subject: `${machine.name} is yours on ${booking.day}`,
        text: `Hello ${member.name},\n\nYou booked ${machine.name} on ${booking.day} from ${hour}:00.\n\n${Config.space.name}`
    });
};

exports.reminders = (rows) => {

    return Promise.all(rows.map((row) => transport.sendMail({
        from: Config.space.sender,
        to: row.email,
        subject: `Tomorrow: ${row.machine}`,
        text: `Your slot ${row.slot} on ${row.machine} is tomorrow.`
    })));
};
