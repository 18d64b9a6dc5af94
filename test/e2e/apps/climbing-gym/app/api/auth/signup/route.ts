import { NextResponse } from 'next/server';
import { db } from '@/lib/db';
import { hashPassword } from '@/lib/passwords';
import { sendWelcome } from '@/lib/mailer';

export async function POST(request: Request) {
  const { email, password, name } = await request.json();
  if (typeof email !== 'string' || !email.includes('@') || typeof password !== 'string' || password.length < 8 || typeof name !== 'string' || !name) {
    return NextResponse.json({ error: 'email, name and a password of 8 characters or more' }, { status: 400 });
  }
  const passwordHash = hashPassword(password);
  try {
    const { rows } = await db.query('INSERT INTO climbers (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id, email, name', [email.toLowerCase(), name, passwordHash]);
    await sendWelcome(rows[0].email, rows[0].name);
    return NextResponse.json(rows[0], { status: 201 });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      return NextResponse.json({ error: 'That e-mail already has a membership' }, { status: 409 });
    }
    throw err;
  }
}
