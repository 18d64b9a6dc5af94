import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// An entry removed in a function assigned to a connection's event-handler property
// (`ws.onclose = () => rooms.delete(id)`, round 25 of test/real-world: MCP transports kept by session
// id and dropped in `transport.onclose`) is removed when that connection ends, as in a `.on('close')`
// listener: the entry is the connection's, not a lock taken around work. A flag released after the
// work it guards, in a `finally`, stays a lock.

afterAll(removeAnalysedProjects);

const files = {
  'server.ts': `import express from 'express';
import { WebSocket } from 'ws';
import { randomUUID } from 'node:crypto';
import { rebuildIndex } from './search';

const app = express();
const upstreams = new Map<string, { socket: WebSocket; owner: string }>();
const rebuilding = new Set<string>();

app.post('/relays', express.json(), (req, res) => {
  const id = req.get('x-relay-id');
  if (id && upstreams.has(id)) return res.status(409).end();
  const socket = new WebSocket(req.body.url);
  const relayId = randomUUID();
  socket.onclose = () => {
    upstreams.delete(relayId);
  };
  upstreams.set(relayId, { socket, owner: String(req.body.owner) });
  res.json({ relayId });
});

app.post('/indexes/:name/rebuild', async (req, res) => {
  if (rebuilding.has(req.params.name)) return res.status(409).end();
  rebuilding.add(req.params.name);
  try {
    await rebuildIndex(req.params.name);
  } finally {
    rebuilding.delete(req.params.name);
  }
  res.sendStatus(204);
});

app.listen(3000);
`,
  'search.ts': `export async function rebuildIndex(name: string): Promise<string> {
  return name;
}
`,
};

const REPORTED = [
  '8:7 no-in-process-lock: `rebuilding` guards work only within this process; it is taken by POST /indexes/:name/rebuild (server.ts:22). A request on another instance does not see it and runs the same work at the same time.',
];

describe('an entry dropped by a connection’s onclose handler', () => {
  it('is no lock; the rebuild flag released in finally is (typed)', () => {
    expect(typed(files, 'server.ts', ['no-in-process-lock'])).toEqual(REPORTED);
  });
  it('the same untyped', () => {
    expect(untyped(files, 'server.ts', ['no-in-process-lock'])).toEqual(REPORTED);
  });
});
