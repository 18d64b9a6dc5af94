import { readFile } from 'fs/promises';
import path from 'path';
import { UPLOAD_DIR } from '@/lib/config';

const CONTENT_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' };

export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  try {
    const bytes = await readFile(path.join(UPLOAD_DIR, path.basename(name)));
    return new Response(bytes, { headers: { 'Content-Type': CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream' } });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
