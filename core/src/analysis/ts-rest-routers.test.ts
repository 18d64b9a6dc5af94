import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// ts-rest routers: `initServer().router(contract, { approve: { handler } })` objects that
// `createExpressEndpoints(contract, router, app)` serves, each handler wrapping a controller in an adapter
// (`callController(QuoteController.approve)(r)`) (round 34 of test/real-world: a typing site's quote
// approval writing a whole language file synchronously), written here in a shape of our own. Look-alikes:
// the contract (`initContract().router(…)`), shared with a browser client that calls it through `initClient`.

afterAll(removeAnalysedProjects);

const untyped = (files: Record<string, string>, file: string): string[] => untypedFindings(files, file, ['no-blocking-request-work']);
const typed = (files: Record<string, string>, file: string): string[] => typedFindings(files, file, ['no-blocking-request-work']);

const files = {
  'src/contracts/quotes.ts': `import { initContract } from '@ts-rest/core';

const c = initContract();
export const quotesContract = c.router({
  approve: { method: 'POST', path: '/quotes/approve', body: null, responses: { 200: null } },
  list: { method: 'GET', path: '/quotes', responses: { 200: null } },
});
`,
  'src/adapter.ts': `export function callController<T>(handler: (req: { body: T }) => Promise<unknown>) {
  return async (all: { body: unknown }) => {
    const data = await handler({ body: all.body as T });
    return { status: 200 as const, body: data };
  };
}
`,
  'src/dal/quotes.ts': `import { readFileSync, writeFileSync } from 'node:fs';

export async function approve(language: string, text: string): Promise<string> {
  const file = '/srv/quotes/' + language + '.json';
  const quotes = JSON.parse(readFileSync(file, 'utf8')) as string[];
  quotes.push(text);
  writeFileSync(file, JSON.stringify(quotes));
  return text;
}
`,
  'src/controllers/quotes.ts': `import * as QuotesDAL from '../dal/quotes';

export async function approveQuote(req: { body: { language: string; text: string } }) {
  return QuotesDAL.approve(req.body.language, req.body.text);
}
`,
  'src/routes/quotes.ts': `import { initServer } from '@ts-rest/express';
import { quotesContract } from '../contracts/quotes';
import * as QuoteController from '../controllers/quotes';
import { callController } from '../adapter';

const s = initServer();
export default s.router(quotesContract, {
  approve: {
    handler: async (r) => callController(QuoteController.approveQuote)(r),
  },
  list: async () => ({ status: 200, body: [] }),
});
`,
  'src/app.ts': `import express from 'express';
import { createExpressEndpoints, initServer } from '@ts-rest/express';
import { contract } from './contracts';
import quotes from './routes/quotes';

const s = initServer();
const router = s.router(contract, { quotes });
const app = express();
createExpressEndpoints(contract, router, app);
app.listen(5005);
`,
  'src/contracts/index.ts': `import { initContract } from '@ts-rest/core';
import { quotesContract } from './quotes';

export const contract = initContract().router({ quotes: quotesContract });
`,
  'web/src/quotes-page.ts': `import { initClient } from '@ts-rest/core';
import { quotesContract } from '../../src/contracts/quotes';
import { readFileSync } from 'node:fs';

const client = initClient(quotesContract, { baseUrl: '/api', baseHeaders: {} });
export const show = async () => client.list();
export const cached = () => readFileSync('/tmp/quotes.json', 'utf8');
`,
};

describe('ts-rest routers', () => {
  it('reports the synchronous file writes of a handler a ts-rest router serves (untyped and typed)', () => {
    const expected = [
      '5:29 no-blocking-request-work: `readFileSync` blocks the event loop on ts-rest approve (src/routes/quotes.ts:8): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
      '7:3 no-blocking-request-work: `writeFileSync` blocks the event loop on ts-rest approve (src/routes/quotes.ts:8): while it runs, this instance answers no other request. Use the async API, or move the work to a job queue.',
    ];
    expect(untyped(files, 'src/dal/quotes.ts')).toEqual(expected);
    expect(typed(files, 'src/dal/quotes.ts')).toEqual(expected);
  });

  it('quiet: the contract and a browser client of it', () => {
    expect(untyped(files, 'web/src/quotes-page.ts')).toEqual([]);
    expect(typed(files, 'web/src/quotes-page.ts')).toEqual([]);
    expect(untyped(files, 'src/contracts/quotes.ts')).toEqual([]);
  });
});
