// St Cecilia's scripted clients: the conductor and a singer register (the conductor with the
// conductor's code), the conductor logs in (@fastify/session), plans a rehearsal, uploads a score
// (@fastify/multipart's req.parts() piped into the upload folder) and renames it (a cache-manager
// cache of score rows); the singer logs in, RSVPs (an async-mutex lock around the places check, an
// awaited confirmation mail, the attendees re-read from the standby), downloads the score
// (@fastify/static's reply.sendFile, counted in a service field); the audition form is throttled
// (@nestjs/throttler's in-memory storage); the conductor reads the day's counts. A NestJS 10 app on
// the Fastify adapter in TypeScript, `pg` pools on the primary and the standby, built with `tsc`.
import type { Scenario, Step } from '../harness';
import { bodyIs, listsSaved, valueAt } from '../checks';

const conductor = { email: 'maren@stcecilia.example.test', name: 'Maren', password: 'allegro-ma-non-troppo', voicePart: 'alto', conductorCode: 'fortissimo-on-thursdays' };
const singer = { email: 'tobias@example.test', name: 'Tobias', password: 'low-notes-only', voicePart: 'bass' };
const scoreText = 'Ave verum corpus, K. 618: SATB, D major, Adagio.\n';

function scoreForm(title: string, composer: string, name: string, type: string, bytes: string): FormData {
  const form = new FormData();
  form.append('title', title);
  form.append('composer', composer);
  form.append('file', new Blob([bytes], { type }), name);
  return form;
}

const rehearsal = (day: string) => ({ day, starts: '19:30', venue: 'St Cecilia Church Hall', programme: 'Mozart, Ave verum corpus; Tallis, If ye love me' });

const conductorLogsIn: Step = { name: 'the conductor logs in', method: 'POST', path: '/auth/login', json: conductor, status: 200 };
const uploadScore: Step = {
  name: 'upload a score',
  method: 'POST',
  path: '/scores',
  form: () => scoreForm('Ave verum corpus', 'Mozart', 'ave-verum.txt', 'text/plain', scoreText),
  save: { scoreId: 'score.id' },
  status: 201,
};
const showScore: Step = { name: 'show the score', method: 'GET', path: (v) => `/scores/${v.scoreId}`, status: 200 };
const downloadScore: Step = { name: 'download the score', method: 'GET', path: (v) => `/scores/${v.scoreId}/file`, status: 200 };
const statsToday: Step = { name: 'the day so far', method: 'GET', path: '/stats/today', status: 200 };
const audition = (n: number): Step => ({
  name: `audition form ${n}`,
  method: 'POST',
  path: '/auditions',
  client: 'mobile',
  json: { name: `Applicant ${n}`, email: `applicant${n}@example.test`, voicePart: 'tenor', message: 'I sang in my school choir.' },
  status: 201,
});

const scenario: Scenario = {
  app: 'choir-rehearsals',
  build: true,
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'the voice parts', method: 'GET', path: '/voice-parts', status: 200 },
    { name: 'me before login', method: 'GET', path: '/auth/me', status: 401 },
    { name: 'register the conductor', method: 'POST', path: '/auth/register', json: conductor, status: 201 },
    { name: 'register the singer', method: 'POST', path: '/auth/register', json: singer, status: 201 },
    { name: 'register the singer again', method: 'POST', path: '/auth/register', json: singer, status: 409 },
    { name: 'register a countertenor', method: 'POST', path: '/auth/register', json: { ...singer, email: 'x@example.test', voicePart: 'countertenor' }, status: 400 },
    { name: 'login with a wrong password', method: 'POST', path: '/auth/login', json: { email: singer.email, password: 'squeaky-top-c' }, status: 401 },
    conductorLogsIn,
    { name: 'me', method: 'GET', path: '/auth/me', status: 200 },
    { name: 'plan a rehearsal', method: 'POST', path: '/rehearsals', json: rehearsal('2027-05-06'), save: { rehearsalId: 'rehearsal.id' }, status: 201 },
    { name: 'plan a rehearsal without a day', method: 'POST', path: '/rehearsals', json: { venue: 'the pub' }, status: 400 },
    uploadScore,
    { name: 'upload a score without a file', method: 'POST', path: '/scores', form: () => { const form = new FormData(); form.append('title', 'Nothing'); form.append('composer', 'Cage'); return form; }, status: 400 },
    { name: 'upload a zip as a score', method: 'POST', path: '/scores', form: () => scoreForm('Zipped', 'Bach', 'bach.zip', 'application/zip', 'PK'), status: 400 },
    showScore,
    { name: 'rename the score', method: 'PATCH', path: (v) => `/scores/${v.scoreId}`, json: { title: 'Ave verum corpus (K. 618)' }, status: 200 },
    { ...showScore, name: 'show the score after the rename' },
    { name: 'show a score that is not there', method: 'GET', path: '/scores/999', status: 404 },
    { name: 'the score library', method: 'GET', path: '/scores', afterReplicaCatchesUp: true, status: 200 },
    { name: 'the conductor logs out', method: 'POST', path: '/auth/logout', status: 200 },
    { name: 'the singer logs in', method: 'POST', path: '/auth/login', json: singer, status: 200 },
    { name: 'the singer uploads a score', method: 'POST', path: '/scores', form: () => scoreForm('Mine', 'Me', 'mine.txt', 'text/plain', 'la la'), status: 403 },
    { name: 'RSVP to the rehearsal', method: 'POST', path: (v) => `/rehearsals/${v.rehearsalId}/rsvp`, save: { rsvpId: 'rsvp.id' }, status: 201 },
    { name: 'RSVP again', method: 'POST', path: (v) => `/rehearsals/${v.rehearsalId}/rsvp`, status: 409 },
    { name: 'RSVP to a rehearsal that is not there', method: 'POST', path: '/rehearsals/999/rsvp', status: 404 },
    { name: 'show the rehearsal', method: 'GET', path: (v) => `/rehearsals/${v.rehearsalId}`, afterReplicaCatchesUp: true, status: 200 },
    downloadScore,
    { name: 'the day so far as a singer', method: 'GET', path: '/stats/today', status: 403 },
    { name: 'the singer logs out', method: 'POST', path: '/auth/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/auth/me', status: 401 },
    { name: 'download the score signed out', method: 'GET', path: (v) => `/scores/${v.scoreId}/file`, status: 401 },
    audition(1),
    audition(2),
    audition(3),
    { ...audition(4), status: 429 },
    { name: 'the conductor logs in again', method: 'POST', path: '/auth/login', json: conductor, status: 200 },
    statsToday,
    { name: 'the day so far without a login', method: 'GET', path: '/stats/today', client: 'mobile', status: 401 },
  ],
  normalise: [{ key: 'since', as: '<time>' }],
  differencesAfterFix: [
    'POST /rehearsals/:id/rsvp answers with the attendees including the RSVP it just made (the read goes to the primary); before, the standby had not replayed the insert and the list was empty',
  ],
  stepsAFixMayChange: ['RSVP to the rehearsal'],
  scaleOutSetup: [
    { step: 'register the conductor', via: 0 },
    { step: 'register the singer', via: 0 },
    { step: conductorLogsIn, via: 0 },
    { step: uploadScore, via: 0 },
  ],
  // The conductor signs in on each instance, at each rehearsal room's laptop.
  scaleOutLogin: [conductorLogsIn],
  scaleOut: [
    { name: 'the conductor logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a score uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: uploadScore, via: 0 },
        { step: downloadScore, via: 'every', expect: bodyIs(scoreText) },
      ],
    },
    {
      name: 'a score renamed through one instance reads the same on every instance',
      kind: 'read-after-write',
      steps: [
        // Every instance has the score in its cache first.
        { step: showScore, via: 'every', expect: valueAt('score.title', () => 'Ave verum corpus') },
        { step: { name: 'rename the score for the concert', method: 'PATCH', path: (v) => `/scores/${v.scoreId}`, json: { title: 'Ave verum corpus (concert edition)' }, status: 200 }, via: 0 },
        { step: { ...showScore, name: 'show the score after the concert rename' }, via: 'every', expect: valueAt('score.title', () => 'Ave verum corpus (concert edition)') },
      ],
    },
    {
      name: 'an RSVP answers with the attendees including it',
      kind: 'read-after-write',
      steps: [
        { step: { name: 'plan a rehearsal here', method: 'POST', path: '/rehearsals', json: (v) => rehearsal(`2027-06-0${Number(v.instance) + 1}`), save: { hereRehearsalId: 'rehearsal.id' }, status: 201 }, via: 'every' },
        {
          step: { name: 'RSVP here', method: 'POST', path: (v) => `/rehearsals/${v.hereRehearsalId}/rsvp`, save: { hereRsvpId: 'rsvp.id' }, status: 201 },
          via: 'every',
          expect: listsSaved('attendees', 'id', 'hereRsvpId'),
        },
      ],
    },
    {
      name: 'RSVPs through three instances add up in the day so far',
      kind: 'counter',
      steps: [
        { step: { ...statsToday, name: 'the day so far before', save: { rsvpsBefore: 'rsvpsTaken' } }, via: 1, jar: 'shared' },
        { step: { name: 'plan a rehearsal to count', method: 'POST', path: '/rehearsals', json: (v) => rehearsal(`2027-07-0${Number(v.instance) + 1}`), save: { countedRehearsalId: 'rehearsal.id' }, status: 201 }, via: 'every' },
        { step: { name: 'RSVP to count', method: 'POST', path: (v) => `/rehearsals/${v.countedRehearsalId}/rsvp`, status: 201 }, via: 'every' },
        { step: { ...statsToday, save: { rsvpsCounted: 'rsvpsTaken' } }, via: 1, jar: 'shared', expect: valueAt('rsvpsTaken', (v) => Number(v.rsvpsBefore) + 3) },
      ],
    },
    {
      name: 'audition forms through three instances add up to the limit',
      kind: 'counter',
      steps: [
        { step: audition(1), via: 'every' },
        { step: { ...audition(4), name: 'a fourth audition form', status: 429 }, via: 0 },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance she logged in through is killed, the conductor is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the score still downloads', kind: 'killed', steps: [{ step: downloadScore, via: 'every', jar: 0, expect: bodyIs(scoreText) }] },
    {
      name: 'after an instance that counted RSVPs is killed, its RSVPs still count',
      kind: 'killed',
      steps: [{ step: statsToday, via: 'every', jar: 'shared', expect: valueAt('rsvpsTaken', (v) => Number(v.rsvpsCounted)) }],
    },
    { name: 'after an instance that counted audition forms is killed, the limit still holds', kind: 'killed', steps: [{ step: { ...audition(5), status: 429 }, via: 'every' }] },
  ],
  // The score cache moved to cache-manager-redis-yet's store (its values, `Score` rows, are plain data) (7 December, evening).
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'src/main.ts:21', code: 'await app.register(fastifySession, {', note: "@fastify/session with no store: its default MemoryStore keeps every login in this process" },
    { kind: 'session', at: 'src/app.module.ts:22', code: 'CacheModule.register({ isGlobal: true, ttl: 5 * 60 * 1000 }),', note: 'the in-memory cache-manager store: score rows set on read (scores.service.ts:38), deleted on a rename only in the process that renamed' },
    { kind: 'session', at: 'src/rehearsals/rehearsals.controller.ts:22', code: "const rsvps = fromEvent(this.events, 'rsvp.created')", note: "the conductor's SSE board fed by @nestjs/event-emitter's in-process bus: an RSVP through another process never reaches it" },
    { kind: 'counter', at: 'src/stats/stats.service.ts:6', code: 'private scoresDownloaded = 0;', note: 'downloads today, a service field, reset by a @Cron at midnight' },
    { kind: 'counter', at: 'src/stats/stats.service.ts:7', code: 'private rsvpsTaken = 0;', note: 'the same for the RSVPs' },
    { kind: 'counter', at: 'src/app.module.ts:21', code: 'ThrottlerModule.forRoot([{ ttl: 60_000, limit: 100 }]),', note: "@nestjs/throttler's default in-memory storage: the audition form's 3 a minute (auditions.controller.ts:13) is 3 per process" },
    { kind: 'counter', at: 'src/rehearsals/rehearsals.service.ts:39', code: 'private readonly rsvpLock = new Mutex();', note: 'an async-mutex Mutex in a service field around the places check and insert: two processes take the last place at once' },
    { kind: 'scheduler', at: 'src/rehearsals/reminders.job.ts:48', code: "@Cron('0 0 9 * * *')", note: '@nestjs/schedule: the reminders mailed by every process' },
    { kind: 'scheduler', at: 'src/rehearsals/reminders.job.ts:44', code: "this.scheduler.addCronJob('close-rsvps', job);", note: 'a CronJob made at bootstrap from choir.json and added to the SchedulerRegistry: every process closes the RSVPs' },
    { kind: 'scheduler', at: 'src/stats/stats.service.ts:22', code: '@Cron(CronExpression.EVERY_DAY_AT_MIDNIGHT)', note: "resets this process's counts only" },
    { kind: 'disk', at: 'src/scores/scores.controller.ts:43', code: 'await pipeline(part.file, createWriteStream(join(UPLOAD_DIR, fileName)));', note: "req.parts()' file piped into the local upload folder" },
    { kind: 'disk', at: 'src/scores/scores.controller.ts:70', code: '.sendFile(score.fileName);', note: "another route sends it back with @fastify/static's reply.sendFile from that folder (main.ts:29)" },
    { kind: 'blocking', at: 'src/auth/passwords.ts:5', code: 'const key = scryptSync(password, salt, 64);', note: 'scryptSync on the request thread at registration (and at login, line 11)' },
    { kind: 'blocking', at: 'src/rehearsals/rehearsals.service.ts:102', code: 'await this.mail.send(', note: 'the RSVP confirmation (nodemailer, mail.service.ts:31) awaited while the request waits' },
    { kind: 'replica', at: 'src/rehearsals/rehearsals.service.ts:106', code: 'const attendees = await this.attendees(rehearsalId);', note: "the attendees re-read from the standby (line 79) right after the RSVP's insert on the primary" },
    { kind: 'look-alike', at: 'src/scores/scores.service.ts:28', code: 'const { rows } = await this.replica.query<Score>(`SELECT ${COLUMNS} FROM scores ORDER BY composer, title`);', note: 'the score library read from the standby, no write before it' },
    { kind: 'look-alike', at: 'src/rehearsals/rehearsals.service.ts:41', code: 'private readonly loading = new Map<number, Promise<Rehearsal>>();', note: 'a Map of in-flight loads, each deleted when it settles: single-flight, not shared state' },
    { kind: 'look-alike', at: 'src/common/voice-parts.ts:2', code: 'export const VOICE_PARTS = Object.freeze({', note: 'constant table of the voice parts' },
    { kind: 'look-alike', at: 'src/config/choir.config.ts:15', code: "export default registerAs('choir', (): ChoirConfig => JSON.parse(readFileSync(join(__dirname, '..', '..', 'choir.json'), 'utf8')));", note: 'choir.json read once by the ConfigModule at start-up' },
    { kind: 'look-alike', at: 'src/mail/mail.service.ts:38', code: 'clearTimeout(timer);', note: "the per-request mail timeout, cleared in finally" },
    { kind: 'look-alike', at: 'src/database/schema.service.ts:69', code: 'this.keepAlive = setInterval(() => {', note: 'a keep-alive ping of the standby, cleared at shutdown' },
    { kind: 'look-alike', at: 'src/rehearsals/rehearsals.controller.ts:23', code: 'const heartbeat = interval(25_000)', note: "the SSE stream's heartbeat, per connection" },
    { kind: 'look-alike', at: 'src/main.ts:15', code: 'mkdirSync(UPLOAD_DIR, { recursive: true });', note: 'sync mkdir at start-up' },
  ],
};

export default scenario;
