import { NextResponse } from 'next/server';
import { db } from '@/lib/db';
import { verifyPassword } from '@/lib/passwords';
import { createSession } from '@/lib/session';
import { clearFailures, isLockedOut, recordFailure } from '@/lib/login-limit';

export async function POST(request: Request) {
  const body = await request.json();
  const email = String(body.email ?? '').toLowerCase();
  if (isLockedOut(email)) {
    return NextResponse.json({ error: 'Too many wrong passwords, try again in 15 minutes' }, { status: 429 });
  }
  const { rows } = await db.query('SELECT id, email, name, password_hash FROM climbers WHERE email = $1', [email]);
  const climber = rows[0];
  if (!climber || !verifyPassword(String(body.password ?? ''), climber.password_hash)) {
    recordFailure(email);
    return NextResponse.json({ error: 'Wrong e-mail or password' }, { status: 401 });
  }
  clearFailures(email);
  await createSession(climber);
  return NextResponse.json({ id: climber.id, email: climber.email, name: climber.name });
}
