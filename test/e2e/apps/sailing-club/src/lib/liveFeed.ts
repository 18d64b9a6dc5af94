import type { Request, Response } from 'express';

// The clubhouse screen: server-sent events of each reservation as it is made.
class LiveFeed {
  private clients = new Set<Response>();

  subscribe(req: Request, res: Response): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  publish(event: string, data: unknown): void {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of this.clients) client.write(frame);
  }
}

export const liveFeed = new LiveFeed();
