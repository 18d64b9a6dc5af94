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

// A JavaScript server in a repository that also holds TypeScript (its React client): the program has
// `.ts` sources, but the files the fix edits are JavaScript, and Node would not load a `.ts` adapter.
describe('adapters for a JavaScript service beside TypeScript code', () => {
  const files = {
    [`${ROOT}/client/src/App.tsx`]: `export function App(): null {\n  return null;\n}\n`,
    [`${ROOT}/store.js`]: `const carts = new Map();\nmodule.exports = { carts };\n`,
    [`${ROOT}/server.js`]: `const express = require('express');\nconst { carts } = require('./store');\nconst app = express();\napp.post('/cart/:id', (req, res) => {\n  carts.set(req.params.id, [req.body.sku]);\n  res.json(carts.get(req.params.id));\n});\napp.listen(3000);\n`,
  };

  it('writes the adapters in CommonJS JavaScript, as the edited files are', () => {
    const plan = movePlan(files, 'no-in-memory-session', `${ROOT}/store.js`);
    expect(plan.createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/redis.js`, `${ROOT}/src/scaling/session-store.js`]);
    expect(plan.createFiles.find((file) => file.fileName.endsWith('/session-store.js'))!.text).toContain("require('./redis')");
    expect(plan.message).toBe('Move `carts` to the Redis session store (src/scaling/session-store.js)');
  });

  it('a fix that edits a TypeScript file keeps TypeScript adapters', () => {
    const typed = { ...files, [`${ROOT}/store.ts`]: `export const carts = new Map<string, string[]>();\n`, [`${ROOT}/server.ts`]: files[`${ROOT}/server.js`].replace("const { carts } = require('./store');", "import { carts } from './store';") };
    delete (typed as Record<string, string>)[`${ROOT}/store.js`];
    delete (typed as Record<string, string>)[`${ROOT}/server.js`];
    expect(movePlan(typed, 'no-in-memory-session', `${ROOT}/store.ts`).createFiles.map((file) => file.fileName).sort()).toEqual([`${ROOT}/src/scaling/redis.ts`, `${ROOT}/src/scaling/session-store.ts`]);
  });
});
