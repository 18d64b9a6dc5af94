'use strict';

// The kinds of machine the space has, with what an induction covers. Never changes at run time.
module.exports = Object.freeze({
    laser: { label: 'Laser cutter', induction: true, maxSlots: 2 },
    printer: { label: '3D printer', induction: false, maxSlots: 4 },
    cnc: { label: 'CNC router', induction: true, maxSlots: 2 },
    lathe: { label: 'Wood lathe', induction: true, maxSlots: 3 }
});
