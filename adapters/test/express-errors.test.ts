import { describe, expect, it, vi } from 'vitest';
import { forwardErrors } from '../src/express-errors';

describe('forwardErrors: an async Express 4 handler passes its rejection to next', () => {
  it('a rejection reaches next(error); a handler that resolves does not call next', async () => {
    const failure = new Error('redis is down');
    const next = vi.fn();
    forwardErrors(async (req: unknown, res: unknown) => {
      await Promise.resolve([req, res]);
      throw failure;
    })({}, {}, next);
    await vi.waitFor(() => expect(next).toHaveBeenCalledWith(failure));
    const untouched = vi.fn();
    forwardErrors(async () => undefined)({}, {}, untouched);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(untouched).not.toHaveBeenCalled();
  });

  it('keeps the arity Express tells handlers apart by: 4 for error handlers, 3 otherwise', () => {
    const arity = (...args: unknown[]) => args.length;
    expect(forwardErrors(async (error: unknown, req: unknown, res: unknown, next: unknown) => arity(error, req, res, next))).toHaveLength(4);
    expect(forwardErrors(async (req: unknown, res: unknown) => arity(req, res))).toHaveLength(3);
  });

  it('passes this and every argument through', async () => {
    const seen: unknown[] = [];
    const handler = forwardErrors(async function (this: unknown, req: unknown, res: unknown, next: unknown) {
      seen.push(this, req, res, typeof next);
    });
    handler.call('router', 'req', 'res', () => undefined);
    await Promise.resolve();
    expect(seen).toEqual(['router', 'req', 'res', 'function']);
  });
});
