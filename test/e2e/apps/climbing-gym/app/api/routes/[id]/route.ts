import { NextResponse } from 'next/server';
import { GRADES } from '@/lib/grades';
import { getRoute } from '@/lib/route-cache';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const route = await getRoute(Number(id));
  if (!route) return NextResponse.json({ error: 'No such route' }, { status: 404 });
  return NextResponse.json({ ...route, font: GRADES[route.grade]?.font });
}
