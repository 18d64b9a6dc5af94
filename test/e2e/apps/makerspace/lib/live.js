'use strict';

const { Server } = require('socket.io');

let io = null;

// The screen by the laser shows each booking as it is made.
exports.attach = (listener) => {

    io = new Server(listener, { path: '/live' });
    io.on('connection', (socket) => {

        socket.emit('hello', { at: new Date().toISOString() });
    });
};

exports.booked = (booking) => {

    if (io) {
        io.emit('booking', booking);
    }
};
