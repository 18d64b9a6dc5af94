// Neovim 0.7 (Debian's package) as a third-party LSP client: test/nvim/code-action.lua opens a
// fixture, waits for the server's diagnostics, applies the multi-file quick fix and prints the
// result. Under CI=true a missing `nvim` fails the test (.ci/run installs it); elsewhere it skips.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverBin } from '../lsp/client';
import { copyFixture, removeWorkspace } from '../lsp/workspace';

const nvimVersion = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const hasNvim = nvimVersion.status === 0;
const inCi = process.env.CI === 'true';

describe.skipIf(!hasNvim && !inCi)('Neovim as the LSP client', () => {
  let root: string;
  beforeAll(() => {
    root = copyFixture('sessions');
  });
  afterAll(() => {
    if (root) removeWorkspace(root);
  });

  it('shows the diagnostic, lists the code actions and applies the multi-file fix', () => {
    expect(hasNvim, 'nvim is not installed (apt-get install -y neovim)').toBe(true);
    const result = spawnSync('nvim', ['--headless', '--clean', '-S', path.join(__dirname, 'code-action.lua')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, STATELESS_SERVER: serverBin, STATELESS_ROOT: root },
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`diagnostic 3:6-3:14 severity=2 source=stateless code=no-in-memory-session \`sessions\` holds per-user state in this process; it is written by POST /login (src/routes.ts:6). A second instance will not see it.
action Move \`sessions\` to the Redis session store (src/scaling/session-store.ts)
action Disable stateless/no-in-memory-session for this line
action Show documentation for stateless/no-in-memory-session
applied Move \`sessions\` to the Redis session store (src/scaling/session-store.ts)
--- src/sessions.ts
import { createSessionStore } from './scaling/session-store';
export interface ApiSession { token: string; userId: number }

// Kept in memory so lookups are free.
const sessions = createSessionStore<ApiSession>('sessions');

export async function createSession(userId: number): Promise<ApiSession> {
  const session = { token: String(Math.random()), userId };
  await sessions.set(session.token, session);
  return session;
}

export async function findSession(token: string): Promise<ApiSession | undefined> {
  return await sessions.get(token);
}
--- src/routes.ts
import express from 'express';
import { createSession, findSession } from './sessions';

export const app = express();

app.post('/login', async (req, res) => {
  const session = await createSession(1);
  res.json({ token: session.token });
});

app.get('/me', async (req, res) => {
  const userId = (await findSession(String(req.headers.authorization))).userId;
  res.json({ userId });
});
--- src/scaling/redis.ts created
--- src/scaling/session-store.ts created
`);
    expect(result.status).toBe(0);
  });
});
