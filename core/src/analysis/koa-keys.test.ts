import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// The keys a Koa app signs its cookies with (`app.keys`, or `keys` given to `new Koa()`), koa-session's
// signed cookie among them: drawn at random as the web process starts, every instance signs with its
// own, and a session cookie one instance set is rejected by the next. Look-alikes that stay quiet: keys
// read from the environment, and a drawn value kept under another name of the app (a request id).

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-session'];
const drawn = (line: number, column: number, name: string) =>
  `${line}:${column} no-in-memory-session: \`${name}\` is drawn at random when the process starts and signs the app's cookies and its session (Koa \`app.keys\`): every instance draws its own, so what one instance signed or encrypted the others reject. Read it from the environment, the same value on every instance.`;

const files = {
  'app.ts': `import Koa from 'koa';
import session from 'koa-session';
import { v4 } from 'uuid';
import { randomBytes } from 'node:crypto';

async function main() {
  const app = new Koa({ proxy: true });
  app.keys = [v4()];
  app.use(session({ key: 'panel.sid', signed: true }, app));
  app.use(async (ctx) => {
    ctx.body = ctx.session?.user ?? null;
  });
  app.listen(3000);
}

const admin = new Koa({ keys: [randomBytes(32).toString('hex')] });
admin.listen(3001);

const api = new Koa();
api.keys = (process.env.COOKIE_KEYS ?? 'dev').split(',');
(api as unknown as { instanceId: string }).instanceId = v4();
api.listen(3002);

main().catch(() => process.exit(1));
`,
};

describe("Koa's signing keys drawn at random", () => {
  it('are reported at the draw; keys from the environment and other drawn values are quiet (typed)', () => {
    expect(typedFindings(files, 'app.ts', RULES)).toEqual(EXPECTED);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(files, 'app.ts', RULES)).toEqual(EXPECTED);
  });
});

const EXPECTED = [drawn(8, 15, 'v4()'), drawn(16, 32, "randomBytes(32).toString('hex')")];
