// Helpdesk's scripted clients: a customer opens a ticket through the public form and attaches a
// screenshot; an agent registers, logs in (signed cookie), lists tickets, replies and closes.
import type { Scenario } from '../harness';
import { bodyIs, lengthAt, valueAt } from '../checks';

const agent = { email: 'linus@helpdesk.test', password: 'penguins!', name: 'Linus' };
const screenshot = 'fake screenshot bytes: the printer is on fire\n';

const scenario: Scenario = {
  app: 'fastify-plugins',
  build: true,
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'open a ticket', method: 'POST', path: '/tickets', client: 'mobile', json: { email: 'ken@customer.test', name: 'Ken', subject: 'Printer on fire', priority: 'urgent' }, save: { ticketId: 'id' }, status: 201 },
    { name: 'open a ticket with a bad priority', method: 'POST', path: '/tickets', client: 'mobile', json: { email: 'ken@customer.test', name: 'Ken', subject: 'x', priority: 'yesterday' }, status: 400 },
    {
      name: 'attach a screenshot',
      method: 'POST',
      path: (v) => `/tickets/${v.ticketId}/attachments`,
      client: 'mobile',
      form: () => {
        const form = new FormData();
        form.append('file', new Blob([screenshot], { type: 'image/png' }), 'fire.png');
        return form;
      },
      save: { fileUrl: 'url' },
      status: 201,
    },
    { name: 'tickets before login', method: 'GET', path: '/tickets', status: 401 },
    { name: 'register an agent', method: 'POST', path: '/auth/agents', json: agent, status: 201 },
    { name: 'register the agent again', method: 'POST', path: '/auth/agents', json: agent, status: 409 },
    { name: 'login with a wrong password', method: 'POST', path: '/auth/login', json: { email: agent.email, password: 'cathedral' }, status: 401 },
    { name: 'login', method: 'POST', path: '/auth/login', json: agent, status: 200 },
    { name: 'me', method: 'GET', path: '/auth/me', status: 200 },
    { name: 'list the tickets', method: 'GET', path: '/tickets', afterReplicaCatchesUp: true, status: 200 },
    { name: 'list the attachments', method: 'GET', path: (v) => `/tickets/${v.ticketId}/attachments`, status: 200 },
    { name: 'download the screenshot', method: 'GET', path: (v) => v.fileUrl, status: 200 },
    { name: 'reply', method: 'POST', path: (v) => `/tickets/${v.ticketId}/replies`, json: { body: 'Have you tried turning it off?' }, status: 201 },
    { name: 'reply and close', method: 'POST', path: (v) => `/tickets/${v.ticketId}/replies`, json: { body: 'Closing: fire department arrived.', close: true }, afterReplicaCatchesUp: true, status: 201 },
    { name: 'show the ticket', method: 'GET', path: (v) => `/tickets/${v.ticketId}`, afterReplicaCatchesUp: true, status: 200 },
    { name: 'stats', method: 'GET', path: '/stats', status: 200 },
    { name: 'logout', method: 'POST', path: '/auth/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/auth/me', status: 401 },
  ],
  normalise: [{ pattern: /\/files\/(\d+)-\d+-/g, as: '/files/$1-<ms>-' }],
  differencesAfterFix: [
    'POST /tickets/:id/replies lists the reply it just wrote (its read goes to the primary); before, the standby had not replayed it (the first reply saw an empty thread; the second, sent once the standby had the first, saw only the first)',
    'POST /tickets may answer before the acknowledgement e-mail is sent when mailing moves to a queue',
    'attachment URLs may point at object storage (or a route that streams from it) instead of /files/<name> served from the local folder',
  ],
  stepsAFixMayChange: ['open a ticket', 'attach a screenshot', 'list the attachments', 'reply', 'reply and close'],
  scaleOutSetup: [
    { step: 'register an agent', via: 0 },
    { step: 'login', via: 0, afterReplicaCatchesUp: true },
    { step: 'open a ticket', via: 0 },
  ],
  scaleOutLogin: ['login'],
  scaleOut: [
    { name: 'an agent logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a screenshot attached through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'attach a screenshot', via: 0 },
        { step: 'download the screenshot', via: 'every', expect: bodyIs(screenshot) },
      ],
    },
    {
      name: 'tickets opened through three instances add up in the stats',
      kind: 'counter',
      steps: [
        { step: { name: 'stats (before)', method: 'GET', path: '/stats', save: { openedBefore: 'ticketsOpened' }, status: 200 }, via: 0 },
        { step: 'open a ticket', via: 'every' },
        { step: 'stats', via: 0, expect: valueAt('ticketsOpened', (v) => Number(v.openedBefore) + 3) },
      ],
    },
    { name: 'a reply is in the thread the reply answers with', kind: 'read-after-write', steps: [{ step: 'reply', via: 0, expect: lengthAt('replies', 1) }] },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance it logged in through is killed, the agent is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was attached through is killed, the screenshot still downloads', kind: 'killed', steps: [{ step: 'download the screenshot', via: 'every', expect: bodyIs(screenshot) }] },
    { name: 'after an instance that counted a ticket is killed, its ticket still counts', kind: 'killed', steps: [{ step: 'stats', via: 1, expect: valueAt('ticketsOpened', (v) => Number(v.openedBefore) + 3) }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'src/plugins/sessions.ts:26', code: "fastify.decorate('sessions', new Map<string, Agent>());", note: 'a decorated session Map, set at login (line 31)' },
    { kind: 'counter', at: 'src/app.ts:19', code: 'await app.register(rateLimit, {', note: '@fastify/rate-limit without a store' },
    { kind: 'counter', at: 'src/routes/auth.ts:38', code: 'rateLimit: { max: 5', note: 'per-route limit on login, same local store' },
    { kind: 'counter', at: 'src/plugins/stats.ts:15', code: "fastify.decorate('stats',", note: 'decorated counters, incremented in tickets.ts:32 and :62' },
    { kind: 'disk', at: 'src/routes/attachments.ts:13', code: 'await pipeline(data.file, fs.createWriteStream(', note: '@fastify/multipart file piped to the local folder' },
    { kind: 'disk', at: 'src/app.ts:25', code: 'await app.register(fastifyStatic, { root: uploadDir', note: '@fastify/static serves them back' },
    { kind: 'blocking', at: 'src/routes/auth.ts:5', code: 'crypto.scryptSync(', note: 'scryptSync on register and login' },
    { kind: 'blocking', at: 'src/routes/tickets.ts:33', code: 'await fastify.mailer.sendMail({', note: 'acknowledgement e-mail sent while the form post waits' },
    { kind: 'blocking', at: 'src/plugins/mailer.ts:19', code: 'fs.readFileSync(', note: 'template read synchronously on each request' },
    { kind: 'replica', at: 'src/routes/tickets.ts:63', code: 'await fastify.replica.query(', note: 'the thread re-read from the replica right after the insert' },
    { kind: 'look-alike', at: 'src/routes/tickets.ts:3', code: 'export const SLA_HOURS', note: 'constant SLA table' },
    { kind: 'look-alike', at: 'src/app.ts:17', code: 'fs.mkdirSync(uploadDir', note: 'sync mkdir while the app is built' },
    { kind: 'look-alike', at: 'src/routes/tickets.ts:47', code: 'await fastify.replica.query(', note: 'a replica read with no write before it' },
  ],
};

export default scenario;
