import { PassThrough } from 'node:stream';

// The big screen over the benches listens on /api/screen (server-sent events).
const screens = new Set<PassThrough>();

export function addScreen(): PassThrough {
  const stream = new PassThrough();
  screens.add(stream);
  stream.on('close', () => screens.delete(stream));
  stream.write(': connected\n\n');
  return stream;
}

export function announce(event: string, data: unknown): void {
  for (const stream of screens) stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
