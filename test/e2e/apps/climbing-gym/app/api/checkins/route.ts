import { NextResponse } from 'next/server';
import { gym } from '@/lib/config';
import { currentUser } from '@/lib/session';
import { gymStats, recordCheckin } from '@/lib/stats';

export const dynamic = 'force-dynamic';

export async function GET() {
  return NextResponse.json({ day: 'today', checkins: gymStats.checkinsToday, capacity: gym.capacity });
}

export async function POST() {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Not signed in' }, { status: 401 });
  const checkins = recordCheckin();
  return NextResponse.json({ welcome: user.name, checkins });
}
