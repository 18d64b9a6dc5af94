import { NextResponse } from 'next/server';
import { Mutex } from 'async-mutex';
import { db } from '@/lib/db';
import { CLASSES } from '@/lib/grades';
import { sendBookingConfirmation } from '@/lib/mailer';
import { currentUser } from '@/lib/session';

// One booking at a time, so two climbers can't both take the last place.
const bookingLock = new Mutex();

export async function POST(_request: Request, { params }: { params: Promise<{ slug: string }> }) {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Not signed in' }, { status: 401 });
  const { slug } = await params;
  const course = CLASSES[slug];
  if (!course) return NextResponse.json({ error: 'No such class' }, { status: 404 });

  const result = await bookingLock.runExclusive(async () => {
    const taken = await db.query('SELECT climber_id FROM bookings WHERE class_slug = $1', [slug]);
    if (taken.rows.some((row) => row.climber_id === user.id)) return { status: 409, body: { error: 'Already booked' } };
    if (taken.rows.length >= course.capacity) return { status: 409, body: { error: 'Class is full' } };
    await db.query('INSERT INTO bookings (class_slug, climber_id) VALUES ($1, $2)', [slug, user.id]);
    return { status: 201, body: { class: course.title, placesLeft: course.capacity - taken.rows.length - 1 } };
  });
  if (result.status === 201) await sendBookingConfirmation(user.email, course.title);
  return NextResponse.json(result.body, { status: result.status });
}
