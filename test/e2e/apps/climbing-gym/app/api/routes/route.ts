import { NextResponse } from 'next/server';
import { db, replica } from '@/lib/db';
import { GRADES } from '@/lib/grades';
import { currentUser } from '@/lib/session';
import { announceRoute } from '@/lib/events';
import type { Route } from '@/lib/route-cache';

export const dynamic = 'force-dynamic';

export async function GET() {
  const { rows } = await replica.query<Route>('SELECT id, name, grade, wall, photo FROM routes ORDER BY id');
  return NextResponse.json({ routes: rows.map((route) => ({ ...route, colour: GRADES[route.grade]?.colour })) });
}

export async function POST(request: Request) {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Not signed in' }, { status: 401 });
  const { name, grade, wall } = await request.json();
  if (!name || !wall || !(grade in GRADES)) {
    return NextResponse.json({ error: `grade must be one of ${Object.keys(GRADES).join(', ')}` }, { status: 400 });
  }
  const inserted = await db.query<Route>('INSERT INTO routes (name, grade, wall, setter_id) VALUES ($1, $2, $3, $4) RETURNING *', [name, grade, wall, user.id]);
  announceRoute(inserted.rows[0]);
  // The setter's screen shows the whole wall after adding a route.
  const { rows } = await replica.query<Route>('SELECT id, name, grade, wall, photo FROM routes WHERE wall = $1 ORDER BY id', [wall]);
  return NextResponse.json({ id: inserted.rows[0].id, wall: rows }, { status: 201 });
}
