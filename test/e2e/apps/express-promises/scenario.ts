// The invoicing API's scripted client (a single-page app with a bearer token): register, log in,
// write an invoice, attach a timesheet, send it (PDF + e-mail), download the PDF, list, log out.
import type { Scenario } from '../harness';
import { atLeastAt, bodyIs, valueAt } from '../checks';

const user = { email: 'grace@freelance.test', password: 'cobol-forever', country: 'NL' };
const timesheet = 'date,hours\n2024-03-01,6\n2024-03-02,7.5\n';
const bearer = (v: Record<string, string>) => ({ authorization: `Bearer ${v.token}` });

const scenario: Scenario = {
  app: 'express-promises',
  build: true,
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'register', method: 'POST', path: '/auth/register', json: user, status: 201 },
    { name: 'register again', method: 'POST', path: '/auth/register', json: user, status: 409 },
    { name: 'login with a wrong password', method: 'POST', path: '/auth/login', json: { email: user.email, password: 'x' }, status: 401 },
    { name: 'login', method: 'POST', path: '/auth/login', json: user, save: { token: 'token' }, status: 200 },
    { name: 'invoices without a token', method: 'GET', path: '/invoices', status: 401 },
    {
      name: 'create an invoice',
      method: 'POST',
      path: '/invoices',
      headers: bearer,
      json: {
        customer: 'Analytical Engines BV',
        customerEmail: 'ap@engines.test',
        lines: [
          { description: 'Consulting', quantity: 12, unitCents: 9500 },
          { description: 'Travel', quantity: 1, unitCents: 24000 },
        ],
      },
      save: { invoiceId: 'invoice.id' },
      status: 201,
    },
    // The create answered from the standby: the id comes from the list once it has caught up.
    { name: 'list the invoices', method: 'GET', path: '/invoices', headers: bearer, afterReplicaCatchesUp: true, save: { invoiceId: 'invoices.0.id' }, status: 200 },
    { name: 'show the invoice', method: 'GET', path: (v) => `/invoices/${v.invoiceId}`, headers: bearer, status: 200 },
    {
      name: 'attach the timesheet',
      method: 'POST',
      path: (v) => `/invoices/${v.invoiceId}/attachments`,
      headers: bearer,
      form: () => {
        const form = new FormData();
        form.append('file', new Blob([timesheet], { type: 'text/csv' }), 'timesheet march.csv');
        return form;
      },
      save: { attachmentUrl: 'url' },
      status: 201,
    },
    { name: 'download the timesheet', method: 'GET', path: (v) => v.attachmentUrl, headers: bearer, status: 200 },
    { name: 'send the invoice', method: 'POST', path: (v) => `/invoices/${v.invoiceId}/send`, headers: bearer, status: 200 },
    { name: 'download the pdf', method: 'GET', path: (v) => `/invoices/${v.invoiceId}/pdf`, headers: bearer, summarise: true, status: 200 },
    { name: 'show the sent invoice', method: 'GET', path: (v) => `/invoices/${v.invoiceId}`, headers: bearer, afterReplicaCatchesUp: true, status: 200 },
    { name: 'account', method: 'GET', path: '/account', headers: bearer, status: 200 },
    { name: 'logout', method: 'POST', path: '/auth/logout', headers: bearer, status: 204 },
    { name: 'account after logout', method: 'GET', path: '/account', headers: bearer, status: 401 },
  ],
  normalise: [
    { key: 'token', as: '<token>' },
    { key: 'dueDate', as: '<date>' },
  ],
  differencesAfterFix: [
    'POST /invoices answers with the invoice it created (its read goes to the primary); before, the standby had not replayed the insert and the reply was {}',
    'POST /invoices/:id/send may answer 202 and the PDF appear later when rendering and mailing move to a queue',
  ],
  stepsAFixMayChange: ['create an invoice', 'send the invoice', 'download the pdf'],
  scaleOutSetup: [
    { step: 'register', via: 0 },
    { step: 'login', via: 0 },
    { step: 'create an invoice', via: 0 },
    { step: 'list the invoices', via: 0, afterReplicaCatchesUp: true },
  ],
  scaleOutLogin: ['login'],
  scaleOut: [
    { name: 'a token issued by one instance is accepted by every instance', kind: 'session', steps: [{ step: 'account', via: 'every', jar: 'shared' }] },
    {
      name: 'a timesheet attached through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'attach the timesheet', via: 0 },
        { step: 'download the timesheet', via: 'every', expect: bodyIs(timesheet) },
      ],
    },
    {
      name: 'the requests counted for the account through three instances add up',
      kind: 'counter',
      steps: [
        { step: { name: 'account (before)', method: 'GET', path: '/account', headers: bearer, save: { requestsBefore: 'requests' }, status: 200 }, via: 0 },
        { step: 'show the invoice', via: 'every', times: 2 },
        { step: 'account', via: 0, expect: valueAt('requests', (v) => Number(v.requestsBefore) + 7) },
      ],
    },
    { name: 'a new invoice is in the reply that created it', kind: 'read-after-write', steps: [{ step: 'create an invoice', via: 0, expect: valueAt('invoice.customer', () => 'Analytical Engines BV') }] },
    // Instance 0 is killed before these: what was acknowledged through it must still be there. Every
    // request of the account counts, those of the checks after the counter one too: at least.
    { name: 'after the instance that issued it is killed, the token is still accepted', kind: 'killed', steps: [{ step: 'account', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was attached through is killed, the timesheet still downloads', kind: 'killed', steps: [{ step: 'download the timesheet', via: 'every', expect: bodyIs(timesheet) }] },
    { name: 'after an instance that counted requests is killed, its requests still count', kind: 'killed', steps: [{ step: 'account', via: 1, expect: atLeastAt('requests', (v) => Number(v.requestsBefore) + 8) }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'src/services/authService.ts:16', code: 'const sessions = new Map<string, Session>();', note: 'bearer sessions, set at login (line 37)' },
    { kind: 'counter', at: 'src/middleware/rateLimit.ts:4', code: 'export const apiLimiter = rateLimit({', note: 'express-rate-limit with its default memory store' },
    { kind: 'counter', at: 'src/middleware/rateLimit.ts:12', code: 'export const loginLimiter = rateLimit({', note: 'express-rate-limit on login, default store' },
    { kind: 'counter', at: 'src/middleware/usage.ts:8', code: 'usage[req.user.id] = (usage[req.user.id] || 0) + 1;', note: 'requests per user in an exported object' },
    { kind: 'disk', at: 'src/middleware/upload.ts:9', code: 'multer.diskStorage({', note: 'attachments stored in the local folder' },
    { kind: 'disk', at: 'src/controllers/invoiceController.ts:86', code: 'res.download(file', note: 'another route reads the attachment back' },
    { kind: 'disk', at: 'src/services/pdfService.ts:23', code: 'fs.createWriteStream(file)', note: 'invoice PDF written to the local folder' },
    { kind: 'disk', at: 'src/controllers/invoiceController.ts:71', code: 'res.sendFile(pdfPath(', note: 'another route reads the PDF back' },
    { kind: 'blocking', at: 'src/services/authService.ts:19', code: 'crypto.scryptSync(', note: 'scryptSync on register and login' },
    { kind: 'blocking', at: 'src/services/pdfService.ts:22', code: 'const doc = new PDFDocument(', note: 'PDF rendered while the request waits (invoiceController.ts:58 returns renderInvoice(invoice) into the send chain)' },
    { kind: 'blocking', at: 'src/services/mailService.ts:7', code: 'return transport', note: 'e-mail with the PDF sent while the request waits (sendInvoiceMail, invoiceController.ts:59)' },
    { kind: 'blocking', at: 'src/controllers/invoiceController.ts:62', code: 'fs.statSync(file)', note: 'sync stat on the request' },
    { kind: 'replica', at: 'src/services/invoiceService.ts:64', code: "return readPool.query('SELECT * FROM invoices", note: 'the new invoice read back through readPool in the chain of invoiceController.ts:19 (its lines too, line 66)' },
    { kind: 'look-alike', at: 'src/config.ts:12', code: 'fs.readFileSync(', note: 'defaults read once at start-up' },
    { kind: 'look-alike', at: 'src/config.ts:23', code: 'export const TAX_RATES', note: 'constant tax table' },
    { kind: 'look-alike', at: 'src/controllers/invoiceController.ts:48', code: 'const timer = setTimeout(() => {', note: 'a timeout inside the request, cleared in finally' },
    { kind: 'look-alike', at: 'src/middleware/upload.ts:7', code: 'fs.mkdirSync(attachmentDir', note: 'sync mkdir at module load' },
  ],
};

export default scenario;
