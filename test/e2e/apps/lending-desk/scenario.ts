// Lending desk's scripted client: the first member signs up (and so runs the desk), logs in (a
// cookie token), catalogues a book, corrects it, gives it a cover (multer, to the local folder) and
// downloads it, borrows it and a seeded book (an awaited e-mail receipt), returns one, clears the
// history, renames a colleague who signed up on their phone, removes a book, weeds a shelf, logs out.
// The app has no database: every record lives in module arrays and Maps of the one process.
import type { Scenario, Step } from '../harness';
import { bodyIs, lengthAt, valueAt } from '../checks';

const librarian = { name: 'Margaret', email: 'margaret@example.test', password: 'apollo-1969' };
const cover = 'PNG pretend cover of a wizard book\n';
const sicp = { title: 'Structure and Interpretation of Computer Programs', author: 'Abelson and Sussman', genre: 'CMP', copies: 1 };

function coverForm(name: string, type: string, bytes: string): FormData {
  const form = new FormData();
  form.append('cover', new Blob([bytes], { type }), name);
  return form;
}

const wrongPassword: Step = { name: 'login with a wrong password', method: 'POST', path: '/api/login', json: { ...librarian, password: 'gemini-1965' }, status: 401 };
const addBook: Step = { name: 'add a book', method: 'POST', path: '/api/books', json: sicp, save: { bookId: 'book.id' }, status: 201 };

const historyShelf: Step = { name: 'list the history shelf', method: 'GET', path: '/api/books?genre=HIS', status: 200 };

/** The member listed with this id has this name. */
const memberNamed = (body: unknown, id: string | undefined, name: string): string | undefined => {
  const member = ((body as { members?: { id: number; name: string }[] }).members ?? []).find((each) => String(each.id) === id);
  return member?.name === name ? undefined : `member ${id} is ${JSON.stringify(member)}, expected the name ${name}`;
};

/** Each loan the replies make has a number no earlier reply of this check had (loans made through several instances). */
function newLoanId(): (body: unknown) => string | undefined {
  const seen = new Set<number>();
  return (body) => {
    const id = (body as { loan?: { id: number } }).loan?.id;
    if (id === undefined || seen.has(id)) return `loan number ${id} was given out already (${[...seen].join(', ')})`;
    seen.add(id);
    return undefined;
  };
}


const scenario: Scenario = {
  app: 'lending-desk',
  readyPath: '/health',
  database: false,
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'me before login', method: 'GET', path: '/api/me', status: 401 },
    { name: 'signup', method: 'POST', path: '/api/signup', json: librarian, status: 201 },
    { name: 'signup again', method: 'POST', path: '/api/signup', json: librarian, status: 409 },
    wrongPassword,
    { name: 'login', method: 'POST', path: '/api/login', json: librarian, status: 200 },
    { name: 'me', method: 'GET', path: '/api/me', status: 200 },
    { name: 'list the books', method: 'GET', path: '/api/books', status: 200 },
    addBook,
    { name: 'add a book without an author', method: 'POST', path: '/api/books', json: { title: 'Anonymous notes' }, status: 400 },
    { name: 'show the book', method: 'GET', path: (v) => `/api/books/${v.bookId}`, status: 200 },
    { name: 'correct the book', method: 'PUT', path: (v) => `/api/books/${v.bookId}`, json: { ...sicp, copies: 2, kind: 'book' }, status: 200 },
    { name: 'show the book after the correction', method: 'GET', path: (v) => `/api/books/${v.bookId}`, status: 200 },
    { name: 'give the book a cover', method: 'POST', path: (v) => `/api/books/${v.bookId}/cover`, form: () => coverForm('wizard.png', 'image/png', cover), save: { coverUrl: 'book.cover' }, status: 201 },
    { name: 'give the book a pdf as a cover', method: 'POST', path: (v) => `/api/books/${v.bookId}/cover`, form: () => coverForm('wizard.pdf', 'application/pdf', '%PDF-1.4'), status: 415 },
    { name: 'download the cover', method: 'GET', path: (v) => v.coverUrl, status: 200 },
    { name: 'borrow the book', method: 'POST', path: '/api/loans', json: (v) => ({ bookId: Number(v.bookId) }), save: { loanId: 'loan.id' }, status: 201 },
    { name: 'borrow the seeded book', method: 'POST', path: '/api/loans', json: { bookId: 2 }, status: 201 },
    { name: 'borrow the seeded book again', method: 'POST', path: '/api/loans', json: { bookId: 2 }, status: 409 },
    { name: 'borrow a book that is not there', method: 'POST', path: '/api/loans', json: { bookId: 99 }, status: 404 },
    { name: 'list the books on the shelf', method: 'GET', path: '/api/books?available=yes', status: 200 },
    { name: 'my loans', method: 'GET', path: '/api/loans', status: 200 },
    { name: 'stats', method: 'GET', path: '/api/stats', status: 200 },
    { name: 'return the book', method: 'POST', path: (v) => `/api/loans/${v.loanId}/return`, status: 200 },
    { name: 'return the book again', method: 'POST', path: (v) => `/api/loans/${v.loanId}/return`, status: 409 },
    { name: 'clear the returned loans', method: 'DELETE', path: '/api/loans/returned', status: 200 },
    { name: 'my loans after clearing', method: 'GET', path: '/api/loans', status: 200 },
    { name: 'a colleague signs up', method: 'POST', path: '/api/signup', client: 'mobile', json: { name: 'tom', email: 'Tom@Example.test', password: 'vostok-1961' }, save: { memberId: 'member.id' }, status: 201 },
    { name: 'the colleague adds a book', method: 'POST', path: '/api/books', client: 'mobile', json: sicp, status: 401 },
    { name: 'list the members', method: 'GET', path: '/api/members', status: 200 },
    { name: 'rename the colleague', method: 'PATCH', path: (v) => `/api/members/${v.memberId}`, json: { name: 'Tom' }, status: 200 },
    { name: 'list the members after the rename', method: 'GET', path: '/api/members', status: 200 },
    { name: 'remove the book', method: 'DELETE', path: (v) => `/api/books/${v.bookId}`, status: 200 },
    { name: 'remove the book again', method: 'DELETE', path: (v) => `/api/books/${v.bookId}`, status: 404 },
    { name: 'weed the computing shelf', method: 'POST', path: '/api/books/weed', json: { genre: 'CMP' }, status: 200 },
    { name: 'list the books after weeding', method: 'GET', path: '/api/books', status: 200 },
    { name: 'stats at the end', method: 'GET', path: '/api/stats', status: 200 },
    { name: 'logout', method: 'POST', path: '/api/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/api/me', status: 401 },
  ],
  normalise: [],
  differencesAfterFix: [
    'GET /api/stats counts the receipts the queue worker has sent when mailing moves to a queue: on one instance with no worker running, none yet',
  ],
  stepsAFixMayChange: ['stats', 'stats at the end'],
  scaleOutSetup: [
    { step: 'signup', via: 0 },
    { step: 'login', via: 0 },
  ],
  // A member of their own on each instance (the librarian is the shared client, through instance 0).
  scaleOutLogin: [
    { name: 'signup here', method: 'POST', path: '/api/signup', json: (v: Record<string, string>) => ({ name: `Reader ${v.instance}`, email: `reader-${v.instance}@example.test`, password: 'voskhod-1964' }), status: 201 },
    { name: 'login here', method: 'POST', path: '/api/login', json: (v: Record<string, string>) => ({ email: `reader-${v.instance}@example.test`, password: 'voskhod-1964' }), status: 200 },
  ],
  // The librarian's writes go through instance 0 (where she logged in); the shelf is read through
  // every instance on the public routes, so these checks see the catalogue, not the sessions.
  scaleOut: [
    { name: 'the librarian logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a book catalogued through one instance is on the shelf of every instance',
      kind: 'read-after-write',
      steps: [
        { step: addBook, via: 0, jar: 'shared' },
        { step: 'show the book', via: 'every', expect: valueAt('book.title', () => sicp.title) },
      ],
    },
    {
      name: 'a book corrected through one instance reads the same on every instance',
      kind: 'read-after-write',
      steps: [
        { step: 'correct the book', via: 0, jar: 'shared' },
        { step: 'show the book after the correction', via: 'every', expect: valueAt('book.copies', () => 2) },
      ],
    },
    {
      name: 'the last copy borrowed through one instance is out on every instance',
      kind: 'read-after-write',
      steps: [
        { step: 'borrow the seeded book', via: 0, jar: 'shared' },
        { step: { name: 'show the seeded book', method: 'GET', path: '/api/books/2', status: 200 }, via: 'every', expect: valueAt('book.available', () => 0) },
      ],
    },
    {
      name: 'a member renamed through one instance has the new name on every instance',
      kind: 'read-after-write',
      steps: [
        { step: 'a colleague signs up', via: 1 },
        { step: 'rename the colleague', via: 0, jar: 'shared' },
        { step: 'list the members', via: 'every', jar: 'shared', expect: (body, vars) => valueAt('count', () => 5)(body, vars) ?? memberNamed(body, vars.memberId, 'Tom') },
      ],
    },
    {
      name: 'a shelf weeded through one instance is empty on every instance',
      kind: 'read-after-write',
      steps: [
        { step: { name: 'add a history book', method: 'POST', path: '/api/books', json: { title: 'The Guns of August', author: 'Barbara Tuchman', genre: 'HIS' }, status: 201 }, via: 0, jar: 'shared' },
        { step: historyShelf, via: 'every', expect: lengthAt('books', 1) },
        { step: { name: 'weed the history shelf', method: 'POST', path: '/api/books/weed', json: { genre: 'HIS' }, status: 200 }, via: 0, jar: 'shared', expect: valueAt('removed', () => 1) },
        { step: historyShelf, via: 'every', expect: lengthAt('books', 0) },
      ],
    },
    {
      name: 'a book removed through one instance is gone from every instance',
      kind: 'read-after-write',
      steps: [
        { step: { ...addBook, name: 'add a book to remove', save: { removedId: 'book.id' } }, via: 0, jar: 'shared' },
        { step: { name: 'show the book to remove', method: 'GET', path: (v) => `/api/books/${v.removedId}`, status: 200 }, via: 'every' },
        { step: { name: 'remove that book', method: 'DELETE', path: (v) => `/api/books/${v.removedId}`, status: 200 }, via: 0, jar: 'shared' },
        { step: { name: 'show the removed book', method: 'GET', path: (v) => `/api/books/${v.removedId}`, status: 404 }, via: 'every' },
      ],
    },
    {
      name: 'a cover uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'give the book a cover', via: 0, jar: 'shared' },
        { step: 'download the cover', via: 'every', expect: bodyIs(cover) },
      ],
    },
    {
      name: 'loans made through three instances each get a number of their own',
      kind: 'counter',
      // Each loan is given back through the instance that made it: the catalogue is shared once fixed, and the seeded book has two copies.
      steps: [0, 1, 2].flatMap((via) => [
        { step: { name: 'borrow a seeded book', method: 'POST', path: '/api/loans', json: { bookId: 1 }, save: { loanId: 'loan.id' }, status: 201 }, via, expect: newLoanId() },
        { step: { name: 'give the seeded book back', method: 'POST', path: (v: Record<string, string>) => `/api/loans/${v.loanId}/return`, status: 200 }, via },
      ]),
    },
    {
      name: 'failed logins through three instances add up to a lock-out',
      kind: 'counter',
      steps: [
        { step: wrongPassword, via: 'every' },
        { step: { ...wrongPassword, name: 'a fourth wrong password', status: 429 }, via: 1 },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance she logged in through is killed, the librarian is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the cover still downloads', kind: 'killed', steps: [{ step: 'download the cover', via: 'every', expect: bodyIs(cover) }] },
    {
      name: 'after the instance it was catalogued through is killed, the book is still on the shelf',
      kind: 'killed',
      steps: [{ step: 'show the book', via: 'every', expect: valueAt('book.title', () => sicp.title) }],
    },
    {
      name: 'after an instance that counted a failed login is killed, the lock-out still holds',
      kind: 'killed',
      steps: [{ step: { ...wrongPassword, name: 'a wrong password after the kill', status: 429 }, via: 'every' }],
    },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'lib/auth.js:8', code: 'const sessions = new Map();', note: 'login sessions: the token in the "sid" cookie -> member id, set at login (line 43)' },
    { kind: 'session', at: 'lib/auth.js:4', code: 'const members = new Map();', note: 'the members, by id: listed ([...members.values()], members.size) and renamed in place (routes/members.js:17)' },
    { kind: 'session', at: 'routes/books.js:12', code: 'let books = [', note: 'the catalogue: a module array with two seed records, pushed, edited in place (cover, available), replaced by index (line 83), spliced (line 100), filtered (line 107)' },
    { kind: 'session', at: 'routes/loans.js:9', code: 'let loans = [];', note: 'the loans: pushed, returned in place (line 64), filtered away (line 74), read by the reminder job' },
    { kind: 'counter', at: 'lib/auth.js:5', code: 'let nextMemberId = 1;', note: 'member ids minted per process' },
    { kind: 'counter', at: 'routes/books.js:16', code: 'let nextBookId = 3;', note: 'book ids minted per process, after the two seeds' },
    { kind: 'counter', at: 'routes/loans.js:10', code: 'let nextLoanId = 1;', note: 'loan ids minted per process' },
    { kind: 'counter', at: 'lib/limiter.js:5', code: 'const failures = new Map();', note: 'failed logins per client address, per process' },
    { kind: 'counter', at: 'lib/mailer.js:21', code: 'this.sent++;', note: 'e-mails sent, a field of the exported Mailer instance, shown by /api/stats' },
    { kind: 'scheduler', at: 'jobs/reminders.js:27', code: 'return setInterval(remindOverdue, EVERY_HOUR);', note: 'the hourly overdue reminders, mailed by every process' },
    { kind: 'disk', at: 'routes/books.js:9', code: 'multer({ dest: config.uploadDir', note: 'covers land in the local upload folder' },
    { kind: 'disk', at: 'routes/books.js:124', code: 'res.sendFile(path.join(config.uploadDir, book.cover.file));', note: 'another route sends the cover back from there' },
    { kind: 'blocking', at: 'lib/auth.js:11', code: 'crypto.scryptSync(password, salt, 32)', note: 'scryptSync on signup and on every login' },
    { kind: 'blocking', at: 'routes/loans.js:52', code: 'await mailer.loanReceipt(req.member, book, loan);', note: 'the receipt e-mail sent while the borrower waits (lib/mailer.js:20, a class whose instance the module exports)' },
    { kind: 'look-alike', at: 'lib/genres.js:2', code: 'const GENRES = {', note: 'constant table of shelf codes' },
    { kind: 'look-alike', at: 'config.js:14', code: 'loanDays: {', note: 'constant loan periods inside the config object' },
    { kind: 'look-alike', at: 'config.js:5', code: 'fs.readFileSync(', note: 'settings.json read once at start-up' },
    { kind: 'look-alike', at: 'server.js:10', code: 'fs.mkdirSync(config.uploadDir', note: 'sync mkdir at start-up' },
  ],
};

export default scenario;
