// Riverside Allotments' scripted client: sign up, log in (a session cookie), rename yourself, take a
// plot, post a photo of it (multipart), download it, water the plot twice, show it, ask its holder to
// share (a mail sent while the request waits), delete the photo, log out.
import type { Scenario } from '../harness';
import { bodyIs, listsSaved, valueAt } from '../checks';

const member = { email: 'ada@example.test', name: 'Ada', password: 'runner-beans' };
const photo = 'PNG pretend photo of the first tomatoes\n';

function photoForm(name: string, type: string, bytes: string): FormData {
  const form = new FormData();
  form.append('caption', 'First tomatoes');
  form.append('photo', new Blob([bytes], { type }), name);
  return form;
}

const wrongPassword = { email: member.email, password: 'broad-beans' };

const scenario: Scenario = {
  app: 'garden-plots',
  build: true,
  steps: [
    { name: 'home', method: 'GET', path: '/', status: 200 },
    { name: 'signup', method: 'POST', path: '/api/signup', json: member, status: 201 },
    { name: 'signup again', method: 'POST', path: '/api/signup', json: member, status: 409 },
    { name: 'plots before login', method: 'GET', path: '/api/plots', status: 401 },
    { name: 'login with a wrong password', method: 'POST', path: '/api/login', json: wrongPassword, status: 401 },
    { name: 'login', method: 'POST', path: '/api/login', json: member, status: 200 },
    { name: 'me', method: 'GET', path: '/api/me', status: 200 },
    { name: 'rename me', method: 'PATCH', path: '/api/me', json: { name: 'Ada L.' }, status: 200 },
    { name: 'me after the rename', method: 'GET', path: '/api/me', status: 200 },
    { name: 'take a plot', method: 'POST', path: '/api/plots', json: { label: 'Plot 7', size: 'half' }, save: { plotId: 'id' }, status: 201 },
    { name: 'take a plot of no size', method: 'POST', path: '/api/plots', json: { label: 'Plot 8', size: 'huge' }, status: 400 },
    { name: 'list the plots', method: 'GET', path: '/api/plots', afterReplicaCatchesUp: true, status: 200 },
    { name: 'post a photo', method: 'POST', path: (v) => `/api/plots/${v.plotId}/photos`, form: () => photoForm('tomatoes.png', 'image/png', photo), save: { photoId: 'id', photoUrl: 'url' }, status: 201 },
    { name: 'post a text file', method: 'POST', path: (v) => `/api/plots/${v.plotId}/photos`, form: () => photoForm('notes.txt', 'text/plain', 'not a photo'), status: 415 },
    { name: 'download the photo', method: 'GET', path: (v) => v.photoUrl, status: 200 },
    { name: 'water the plot', method: 'POST', path: (v) => `/api/plots/${v.plotId}/water`, status: 200 },
    { name: 'water the plot again', method: 'POST', path: (v) => `/api/plots/${v.plotId}/water`, status: 200 },
    { name: 'show the plot', method: 'GET', path: (v) => `/api/plots/${v.plotId}`, afterReplicaCatchesUp: true, status: 200 },
    { name: 'show a plot that does not exist', method: 'GET', path: '/api/plots/9999', afterReplicaCatchesUp: true, status: 404 },
    { name: 'ask to share the plot', method: 'POST', path: (v) => `/api/plots/${v.plotId}/share-requests`, status: 202 },
    { name: 'delete the photo', method: 'DELETE', path: (v) => `/api/plots/${v.plotId}/photos/${v.photoId}`, status: 204 },
    { name: 'download the deleted photo', method: 'GET', path: (v) => v.photoUrl, status: 404 },
    { name: 'logout', method: 'POST', path: '/api/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/api/me', status: 401 },
  ],
  normalise: [{ pattern: /\/uploads\/[^"\s]+\.(png|jpg|webp)/g, as: '/uploads/<file>.$1' }],
  differencesAfterFix: [
    'POST /api/plots lists the plot it just let (its read goes to the primary); before, the standby had not replayed it and the list was empty',
  ],
  stepsAFixMayChange: ['take a plot'],
  scaleOutSetup: [
    { step: 'signup', via: 0 },
    { step: 'login', via: 0 },
  ],
  // A member of their own on each instance.
  scaleOutLogin: [
    { name: 'signup here', method: 'POST', path: '/api/signup', json: (v: Record<string, string>) => ({ ...member, email: `ada-${v.instance}@example.test` }), status: 201 },
    { name: 'login here', method: 'POST', path: '/api/login', json: (v: Record<string, string>) => ({ ...member, email: `ada-${v.instance}@example.test` }), status: 200 },
  ],
  scaleOut: [
    { name: 'a member logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a new name given through one instance is the name every instance shows',
      kind: 'read-after-write',
      steps: [
        { step: 'me', via: 'every', jar: 'shared' },
        { step: 'rename me', via: 0, jar: 'shared' },
        { step: 'me after the rename', via: 'every', jar: 'shared', expect: valueAt('name', () => 'Ada L.') },
      ],
    },
    { name: 'a new plot is in the list its letting answers with', kind: 'read-after-write', steps: [{ step: 'take a plot', via: 0, expect: listsSaved('plots', 'id', 'plotId') }] },
    {
      name: 'a photo posted through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'take a plot', via: 0 },
        { step: 'post a photo', via: 0 },
        { step: 'download the photo', via: 'every', expect: bodyIs(photo) },
      ],
    },
    {
      name: 'three waterings through three instances make 3 waterings',
      kind: 'counter',
      steps: [
        { step: 'water the plot', via: 'every' },
        { step: 'show the plot', via: 0, afterReplicaCatchesUp: true, expect: valueAt('wateredToday', () => 3) },
      ],
    },
    {
      // Five wrong passwords for the address, wherever they were typed, lock it.
      name: 'wrong passwords through three instances lock the address together',
      kind: 'counter',
      steps: [
        { step: 'login with a wrong password', via: 'every' },
        { step: 'login with a wrong password', via: 0 },
        { step: 'login with a wrong password', via: 1 },
        { step: { name: 'login once locked', method: 'POST', path: '/api/login', json: wrongPassword, status: 429 }, via: 2 },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance it logged in through is killed, the member is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was posted through is killed, the photo still downloads', kind: 'killed', steps: [{ step: 'download the photo', via: 'every', expect: bodyIs(photo) }] },
    { name: 'after an instance that logged a watering is killed, its watering still counts', kind: 'killed', steps: [{ step: 'show the plot', via: 1, afterReplicaCatchesUp: true, expect: valueAt('wateredToday', () => 3) }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'src/app.ts:12', code: 'session({', note: "express-session with no store: the default MemoryStore" },
    { kind: 'session', at: 'src/lib/memberCache.ts:6', code: 'const cache = new Map<number, Member>();', note: 'member rows cached per instance, refreshed only where the rename happened' },
    { kind: 'session', at: 'src/lib/memberCache.ts:17', code: 'cache.set(member.id, member);', note: 'login and rename write the row into this instance only' },
    { kind: 'counter', at: 'src/lib/lockout.ts:5', code: 'const failures = new Map<string, { count: number; lockedUntil: number }>();', note: 'wrong passwords per address in a module Map' },
    { kind: 'counter', at: 'src/lib/lockout.ts:14', code: 'entry.count += 1;', note: 'the failure count bumped in place on the Map entry' },
    { kind: 'counter', at: 'src/lib/watering.ts:2', code: 'export const wateredToday = new Map<number, number>();', note: "the day's waterings per plot, an exported Map read by the plot page" },
    { kind: 'counter', at: 'src/lib/watering.ts:6', code: 'wateredToday.set(plotId, count);', note: 'get + 1 + set' },
    { kind: 'scheduler', at: 'src/jobs/digest.ts:11', code: "cron.schedule('0 7 * * 1'", note: "node-cron's weekly digest mail, sent by every instance" },
    { kind: 'scheduler', at: 'src/jobs/digest.ts:21', code: "cron.schedule('0 0 * * *'", note: "the midnight reset of the watering log" },
    { kind: 'disk', at: 'src/routes/plots.ts:19', code: 'storage: multer.diskStorage({', note: 'multer writes photos to the local folder' },
    { kind: 'disk', at: 'src/app.ts:25', code: 'express.static(config.uploadDir)', note: 'and express.static serves them back' },
    { kind: 'disk', at: 'src/routes/plots.ts:97', code: 'await unlink(path.join(config.uploadDir, photo.fileName));', note: 'delete removes the local file' },
    { kind: 'blocking', at: 'src/lib/passwords.ts:5', code: 'scryptSync(', note: 'scryptSync on signup' },
    { kind: 'blocking', at: 'src/lib/passwords.ts:11', code: 'scryptSync(', note: 'scryptSync on login' },
    { kind: 'blocking', at: 'src/routes/plots.ts:116', code: 'sendMail(row.holderEmail', note: 'the share request waits for the mail (raced against a timeout)' },
    { kind: 'replica', at: 'src/routes/plots.ts:40', code: 'const all = await readDb.select().from(plots)', note: 'drizzle: the plots re-listed from the replica right after the insert on the primary' },
    { kind: 'look-alike', at: 'src/routes/plots.ts:32', code: 'const rows = await readDb.select().from(plots)', note: 'a replica read with no write before it' },
    { kind: 'look-alike', at: 'src/constants.ts:2', code: 'export const PLOT_SIZES = Object.freeze({', note: 'a frozen table of sizes and rents' },
    { kind: 'look-alike', at: 'src/config.ts:15', code: 'readFileSync(path.join(here', note: 'garden.json read once at start-up beside import.meta.url' },
    { kind: 'look-alike', at: 'src/routes/plots.ts:112', code: 'timer = setTimeout(', note: "a per-request timeout on the mail, cleared in finally" },
    { kind: 'look-alike', at: 'src/index.ts:9', code: 'mkdirSync(config.uploadDir', note: 'sync mkdir at start-up (top-level await after it)' },
    { kind: 'session', at: 'src/lib/live.ts:16', code: 'for (const client of wss.clients) {', note: 'new plots and photos broadcast over wss.clients reach only the members connected to the instance that took them' },
  ],
};

export default scenario;
