import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings as typed, untypedFindings as untyped } from '../testing/project-findings';

// Round 32 of test/real-world: an upload route extracts a document's text before it answers (pdf-parse,
// pdf-parse 2's `PDFParse` class, officeparser, mammoth). The parse decodes the whole file on the event
// loop: CPU-bound work the request waits for, as image processing is. A parse in a queue's worker, in a
// script, or once at start-up stays quiet.

afterAll(removeAnalysedProjects);

const RULES = ['no-blocking-request-work'] as const;
const slow = (line: number, column: number, callee: string, route: string, what: string) =>
  `${line}:${column} no-blocking-request-work: \`${callee}\` holds the request open on ${route} while ${what} runs. Move it to a job queue and answer at once (for example 202 Accepted with a job id).`;

const files = {
  'server.ts': `import express from 'express';
import multer from 'multer';
import { extractText } from './documents';
import { queue } from './queue';

const app = express();
const upload = multer({ storage: multer.memoryStorage() });

app.post('/documents', upload.single('file'), async (req, res) => {
  const text = await extractText(req.file!.mimetype, req.file!.buffer);
  res.json({ length: text.length });
});
app.post('/documents/later', upload.single('file'), async (req, res) => {
  await queue.add('parse', { name: req.file!.originalname });
  res.sendStatus(202);
});
app.listen(3000);
`,
  'documents.ts': `import pdf from 'pdf-parse';
import { PDFParse } from 'pdf-parse';
import officeParser from 'officeparser';
import * as mammoth from 'mammoth';

export async function extractText(type: string, data: Buffer): Promise<string> {
  if (type === 'application/pdf') {
    const { text } = await pdf(data);
    return text;
  }
  if (type === 'application/x-pdf') {
    const parser = new PDFParse({ data });
    return await parser.getText().then((result) => result.text);
  }
  if (type === 'application/msword') return officeParser.parseOfficeAsync(data);
  const { value } = await mammoth.extractRawText({ buffer: data });
  return value;
}
`,
  'queue.ts': `import { Queue, Worker } from 'bullmq';
import pdf from 'pdf-parse';
import { readFile } from 'fs/promises';

export const queue = new Queue('documents');
new Worker('documents', async (job) => {
  const { text } = await pdf(await readFile(job.data.name));
  return text.length;
});
`,
  'scripts/reindex.ts': `import pdf from 'pdf-parse';
import { readFile } from 'fs/promises';

async function main() {
  const { text } = await pdf(await readFile(process.argv[2]));
  console.log(text.length);
}
main();
`,
  'manual.ts': `import express from 'express';
import mammoth from 'mammoth';

// The manual is parsed once, as the server starts, and served from memory.
const app = express();
mammoth.convertToHtml({ path: 'manual.docx' }).then(({ value }) => {
  app.get('/manual', (req, res) => res.send(value));
  app.listen(3001);
});
`,
};

const ROUTE = 'POST /documents (server.ts:9)';

describe('document parsers a request waits for', () => {
  const expected = [
    slow(8, 28, 'pdf', ROUTE, 'PDF parsing with pdf-parse'),
    slow(13, 18, 'parser.getText', ROUTE, 'PDF parsing with pdf-parse'),
    slow(15, 45, 'officeParser.parseOfficeAsync', ROUTE, 'document parsing with officeparser'),
    slow(16, 27, 'mammoth.extractRawText', ROUTE, 'DOCX parsing with mammoth'),
  ];

  it('pdf-parse (both APIs), officeparser and mammoth in an upload route are slow work (untyped)', () => {
    expect(untyped(files, 'documents.ts', [...RULES])).toEqual(expected);
  });

  it('the same, typed', () => {
    expect(typed(files, 'documents.ts', [...RULES])).toEqual(expected);
  });

  it('look-alikes stay quiet: a queue worker, a script and a parse at start-up (untyped and typed)', () => {
    for (const file of ['queue.ts', 'scripts/reindex.ts', 'manual.ts']) {
      expect(untyped(files, file, [...RULES])).toEqual([]);
      expect(typed(files, file, [...RULES])).toEqual([]);
    }
  });
});
