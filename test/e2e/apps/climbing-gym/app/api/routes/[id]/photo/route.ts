import { NextResponse } from 'next/server';
import { mkdir, writeFile } from 'fs/promises';
import path from 'path';
import { db } from '@/lib/db';
import { UPLOAD_DIR } from '@/lib/config';
import { currentUser } from '@/lib/session';
import { forgetRoute } from '@/lib/route-cache';

const IMAGE_TYPES: Record<string, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
};

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await currentUser();
  if (!user) return NextResponse.json({ error: 'Not signed in' }, { status: 401 });
  const { id } = await params;
  const formData = await request.formData();
  const file = formData.get('photo');
  if (!(file instanceof File)) return NextResponse.json({ error: 'photo is required' }, { status: 400 });
  const extension = IMAGE_TYPES[file.type];
  if (!extension) return NextResponse.json({ error: 'Photos must be JPEG, PNG or WebP' }, { status: 415 });

  const fileName = `route-${id}-${Date.now()}${extension}`;
  await mkdir(UPLOAD_DIR, { recursive: true });
  await writeFile(path.join(UPLOAD_DIR, fileName), Buffer.from(await file.arrayBuffer()));

  const photo = `/api/photos/${fileName}`;
  const { rowCount } = await db.query('UPDATE routes SET photo = $1 WHERE id = $2', [photo, Number(id)]);
  if (!rowCount) return NextResponse.json({ error: 'No such route' }, { status: 404 });
  forgetRoute(Number(id));
  return NextResponse.json({ photo }, { status: 201 });
}
