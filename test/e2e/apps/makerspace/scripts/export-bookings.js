'use strict';

// Run by hand at the end of a month: `npm run export -- 2026-11 > out.csv` writes the month's
// bookings per member to exports/. Not part of the server.
const Fs = require('fs');
const Path = require('path');
const Db = require('../lib/db');

const month = process.argv[2] || new Date().toISOString().slice(0, 7);
const perMember = new Map();

const main = async () => {

    const { rows } = await Db.primary.query(
        `SELECT m.email, count(*)::int AS n FROM bookings b JOIN members m ON m.id = b.member_id
         WHERE to_char(b.day, 'YYYY-MM') = $1 GROUP BY m.email`, [month]);
    for (const row of rows) {
        perMember.set(row.email, (perMember.get(row.email) || 0) + row.n);
    }

    const dir = Path.join(__dirname, '..', 'exports');
    Fs.mkdirSync(dir, { recursive: true });
    const lines = [...perMember].map(([email, n]) => `${email},${n}`);
    Fs.writeFileSync(Path.join(dir, `${month}.csv`), 'email,bookings\n' + lines.join('\n') + '\n');
    await Db.primary.end();
    await Db.replica.end();
};

main().catch((err) => {

    console.error(err);
    process.exit(1);
});
