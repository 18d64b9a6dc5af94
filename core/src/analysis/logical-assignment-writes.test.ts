import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// `(byUser[id] ??= []).push(x)` is how current JavaScript writes "make the entry on first use, then
// add to it": the push writes into the collection whose entry the assignment hands back. Written
// on a request path into module state, it is state as much as `if (!byUser[id]) byUser[id] = [];
// byUser[id].push(x)` is. The same shape filling a function's own object, or a registry at
// start-up, stays quiet.

afterAll(removeAnalysedProjects);

const SESSION = ['no-in-memory-session'] as const;

describe('an entry made on first use by a logical assignment and written into', () => {
  const express = {
    'src/history.ts': `export const viewedByUser: Record<string, string[]> = {};
const listeners: Record<string, Array<(id: string) => void>> = {};

export function remember(user: string, productId: string): void {
  (viewedByUser[user] ??= []).push(productId);
}

export function recentlyViewed(user: string): string[] {
  return viewedByUser[user] ?? [];
}

export function on(event: string, listener: (id: string) => void): void {
  (listeners[event] ||= []).push(listener);
}

on('viewed', (id) => console.log('viewed', id));
`,
    'src/app.ts': `import express from 'express';
import { recentlyViewed, remember } from './history';

const app = express();
app.get('/products/:id', (req, res) => {
  const user = String(req.headers['x-user']);
  remember(user, req.params.id);
  const byCategory: Record<string, string[]> = {};
  for (const id of recentlyViewed(user)) (byCategory[id.slice(0, 2)] ??= []).push(id);
  res.json({ id: req.params.id, byCategory });
});
app.listen(3000);
`,
  };
  const expected = [
    "1:14 no-in-memory-session: `viewedByUser` holds per-user state in this process; it is written by GET /products/:id (src/app.ts:5). A second instance will not see it.",
  ];

  it('Express: the module record is written on the route; the registry filled at start-up and the route’s own object stay quiet (typed)', () => {
    expect(typedFindings(express, 'src/history.ts', [...SESSION])).toEqual(expected);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(express, 'src/history.ts', [...SESSION])).toEqual(expected);
  });

  const next = {
    'lib/store.ts': `const seen: Record<string, string[]> = {};

export function markSeen(user: string, post: string) {
  (seen[user] ||= []).push(post);
}
`,
    'app/actions/posts.ts': `'use server';
import { markSeen } from '../../lib/store';

export async function openPost(user: string, id: string) {
  markSeen(user, id);
}
`,
  };
  const nextExpected = [
    "1:7 no-in-memory-session: `seen` holds per-user state in this process; it is written by server action openPost (app/actions/posts.ts:4). A second instance will not see it.",
  ];

  it('Next.js: a server action writes into the module record through `||=` (typed)', () => {
    expect(typedFindings(next, 'lib/store.ts', [...SESSION])).toEqual(nextExpected);
  });

  it('the same, untyped', () => {
    expect(untypedFindings(next, 'lib/store.ts', [...SESSION])).toEqual(nextExpected);
  });
});
