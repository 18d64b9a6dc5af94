import { describe, expect, it } from 'vitest';
import { ROOT, movePlan } from '../testing/fix-plans';

// The adapters a fix creates import each other as the project's own files import: with `.js` where
// Node's ESM resolution needs it, without where a bundler resolves (Next.js's webpack does not map
// `./redis.js` to `redis.ts`, so `next build` failed on the adapters).

const sessions = (specifier: string): Record<string, string> => ({
  [`${ROOT}/lib/carts.ts`]: `export const carts = new Map<string, string[]>();
`,
  [`${ROOT}/app/api/cart/route.ts`]: `import { carts } from '${specifier}';
export async function POST(req: Request) {
  const body = await req.json();
  carts.set(String(body.id), [String(body.sku)]);
  return Response.json(carts.get(String(body.id)));
}
`,
});

function createdSessionStore(files: Record<string, string>): string {
  const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/lib/carts.ts`);
  return plan.createFiles.find((file) => file.fileName.endsWith('/session-store.ts'))!.text;
}

describe('adapters in the import style of a TypeScript project', () => {
  it('imports without .js when the project does', () => {
    const text = createdSessionStore(sessions('../../../lib/carts'));
    expect(text).toContain("from './redis';");
    expect(text).not.toMatch(/from '\.\/[\w-]+\.js'/);
  });

  it('keeps .js when the project writes it', () => {
    expect(createdSessionStore(sessions('../../../lib/carts.js'))).toContain("from './redis.js';");
  });
});
