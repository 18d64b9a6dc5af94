import { wallEvents } from '@/lib/events';
import type { Route } from '@/lib/route-cache';

export const dynamic = 'force-dynamic';

// Server-sent events for the "new on the wall" screen by the front desk.
export async function GET(request: Request) {
  const encoder = new TextEncoder();
  let onRoute: ((route: Route) => void) | undefined;
  const stream = new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(': connected\n\n'));
      onRoute = (route) => controller.enqueue(encoder.encode(`event: route\ndata: ${JSON.stringify(route)}\n\n`));
      wallEvents.on('route', onRoute);
      request.signal.addEventListener('abort', () => {
        if (onRoute) wallEvents.off('route', onRoute);
        controller.close();
      });
    },
    cancel() {
      if (onRoute) wallEvents.off('route', onRoute);
    },
  });
  return new Response(stream, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' } });
}
