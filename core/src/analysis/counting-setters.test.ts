import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// A key-value store of the service's own, a class of static `set`/`get` wrappers over a static map
// or a module's `setValue`/`getValue` functions, through which routes count
// (`Store.set(LOGINS, Store.get(LOGINS, 0) + 1)`), as round 33's panel counts logins and bans. The
// store's own writes store a parameter, which reads as a user's data; what the routes hand the
// setter says it is a count. The same store handed a user's data stays a session.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-counter', 'no-in-memory-session', 'no-process-local-cache'] as const;

describe('a store of static wrappers that routes count through', () => {
  const files = {
    'store.ts': `export class Globals {
  public static readonly map = new Map<string, any>();

  public static set(key: string, value: any) {
    Globals.map.set(key, value);
  }

  public static get(key: string, fallback?: any) {
    return Globals.map.has(key) ? Globals.map.get(key) : fallback;
  }
}

export class Carts {
  private static readonly byUser: Record<string, string[]> = {};

  static set(user: string, items: string[]) {
    Carts.byUser[user] = items;
  }

  static get(user: string) {
    return Carts.byUser[user] ?? [];
  }
}

const values: Record<string, number> = {};

export function setValue(name: string, value: number) {
  values[name] = value;
}

export function getValue(name: string) {
  return values[name];
}
`,
    'server.ts': `import express from 'express';
import { Carts, Globals, getValue, setValue } from './store';

const LOGINS = 'logins';
const app = express();
app.post('/login', (req, res) => {
  Globals.set(LOGINS, Globals.get(LOGINS, 0) + 1);
  res.sendStatus(204);
});
app.post('/logout', (req, res) => {
  setValue('logouts', (getValue('logouts') || 0) + 1);
  res.sendStatus(204);
});
app.put('/cart', (req, res) => {
  Carts.set(req.body.user, req.body.items);
  res.json(Carts.get(req.body.user));
});
app.get('/overview', (req, res) => {
  res.json({ logins: Globals.get(LOGINS, 0), logouts: getValue('logouts') });
});
app.listen(3000);
`,
  };

  it('a static map and a module record counted through their setters are counters; the store handed a cart stays a session (untyped and typed)', () => {
    const expected = [
      '2:26 no-in-memory-counter: `map` counts in this process; it is changed by POST /login (server.ts:6). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
      '14:27 no-in-memory-session: `byUser` holds per-user state in this process; it is written by PUT /cart (server.ts:14). A second instance will not see it.',
      '25:7 no-in-memory-counter: `values` counts in this process; it is changed by POST /logout (server.ts:10). Each instance keeps its own count, so totals and limits are wrong once there is more than one.',
    ];
    expect(untyped(files, 'store.ts', [...RULES])).toEqual(expected);
    expect(typed(files, 'store.ts', [...RULES])).toEqual(expected);
  });
});
