// Harbour Lane's scripted clients: the receptionist and a pet owner register (the receptionist
// with the staff code), the owner logs in (express-session), adds a dog, books it in (an async-mutex
// lock around the slot check, an awaited confirmation mail, the vet's day re-read from the
// standby), uploads a lab result (FileInterceptor into the upload folder) and reads it back, logs
// out; the receptionist logs in, changes a vet's fee (a Map cache of vet rows), reads the day
// sheet and the day's booking count (service fields). A NestJS 10 app in TypeScript with TypeORM
// on two DataSources, the primary and `replica`, built with `tsc`.
import type { Scenario, Step } from '../harness';
import { bodyIs, listsSaved, valueAt } from '../checks';

const receptionist = { email: 'rosa@harbourlane.example.test', name: 'Rosa', password: 'front-desk-2027', staffCode: 'whiskers-at-the-door' };
const owner = { email: 'ines@example.test', name: 'Inês', password: 'biscuit-and-bone' };
const labResult = 'Bloods for Biscuit: all within range.\n';

function recordForm(name: string, type: string, bytes: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type }), name);
  return form;
}

const booking = (day: string, time: string) => (v: Record<string, string>) => ({ petId: Number(v.petId), vetId: 1, day, time, reason: 'annual vaccination' });

const wrongPassword: Step = { name: 'login with a wrong password', method: 'POST', path: '/auth/login', json: { email: owner.email, password: 'squirrel!' }, status: 401 };
const showVet: Step = { name: 'show a vet', method: 'GET', path: '/vets/1', status: 200 };
const statsToday: Step = { name: 'the day so far', method: 'GET', path: '/stats/today', status: 200 };
const uploadRecord: Step = {
  name: 'upload a lab result',
  method: 'POST',
  path: (v) => `/pets/${v.petId}/records`,
  form: () => recordForm('bloods.txt', 'text/plain', labResult),
  save: { recordId: 'record.id' },
  status: 201,
};
const downloadRecord: Step = { name: 'download the lab result', method: 'GET', path: (v) => `/pets/${v.petId}/records/${v.recordId}`, status: 200 };

const scenario: Scenario = {
  app: 'vet-clinic',
  build: true,
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'list the vets', method: 'GET', path: '/vets', status: 200 },
    showVet,
    { name: 'show a vet that is not there', method: 'GET', path: '/vets/99', status: 404 },
    { name: 'me before login', method: 'GET', path: '/auth/me', status: 401 },
    { name: 'register the receptionist', method: 'POST', path: '/auth/register', json: receptionist, status: 201 },
    { name: 'register the owner', method: 'POST', path: '/auth/register', json: owner, status: 201 },
    { name: 'register the owner again', method: 'POST', path: '/auth/register', json: owner, status: 409 },
    { name: 'register without a password', method: 'POST', path: '/auth/register', json: { email: 'x@example.test', name: 'X' }, status: 400 },
    wrongPassword,
    { name: 'the owner logs in', method: 'POST', path: '/auth/login', json: owner, status: 200 },
    { name: 'me', method: 'GET', path: '/auth/me', status: 200 },
    { name: 'add a dog', method: 'POST', path: '/pets', json: { name: 'Biscuit', species: 'dog', birthYear: 2021 }, save: { petId: 'pet.id' }, status: 201 },
    { name: 'add a dragon', method: 'POST', path: '/pets', json: { name: 'Smaug', species: 'dragon' }, status: 400 },
    { name: 'my pets', method: 'GET', path: '/pets', status: 200 },
    { name: 'book the dog in', method: 'POST', path: '/appointments', json: booking('2027-03-01', '09:10'), save: { appointmentId: 'appointment.id' }, status: 201 },
    { name: 'book the same slot again', method: 'POST', path: '/appointments', json: booking('2027-03-01', '09:10'), status: 409 },
    { name: 'book after closing time', method: 'POST', path: '/appointments', json: booking('2027-03-01', '19:00'), status: 400 },
    { name: 'book a pet that is not there', method: 'POST', path: '/appointments', json: { petId: 999, vetId: 1, day: '2027-03-01', time: '09:30', reason: 'a stray' }, status: 404 },
    uploadRecord,
    { name: 'upload a zip as a lab result', method: 'POST', path: (v) => `/pets/${v.petId}/records`, form: () => recordForm('bloods.zip', 'application/zip', 'PK'), status: 400 },
    { name: 'show the dog', method: 'GET', path: (v) => `/pets/${v.petId}`, status: 200 },
    downloadRecord,
    { name: 'the day so far as an owner', method: 'GET', path: '/stats/today', status: 403 },
    { name: 'logout', method: 'POST', path: '/auth/logout', status: 200 },
    { name: 'me after logout', method: 'GET', path: '/auth/me', status: 401 },
    { name: 'the receptionist logs in', method: 'POST', path: '/auth/login', json: receptionist, status: 200 },
    { name: 'change the fee', method: 'PATCH', path: '/vets/1', json: { feeCents: 5200 }, status: 200 },
    { name: 'show the vet after the fee change', method: 'GET', path: '/vets/1', status: 200 },
    { name: 'the day sheet', method: 'GET', path: '/vets/1/day/2027-03-01', afterReplicaCatchesUp: true, status: 200 },
    statsToday,
    { name: 'the receptionist reads the lab result', method: 'GET', path: (v) => `/pets/${v.petId}/records/${v.recordId}`, status: 200 },
    { name: 'the day so far without a login', method: 'GET', path: '/stats/today', client: 'mobile', status: 401 },
  ],
  normalise: [],
  differencesAfterFix: [
    "POST /appointments answers with the vet's day including the appointment it just booked (the read goes to the primary); before, the standby had not replayed the insert and the day was empty",
  ],
  stepsAFixMayChange: ['book the dog in'],
  scaleOutSetup: [
    { step: 'register the receptionist', via: 0 },
    { step: 'register the owner', via: 0 },
    { step: 'the owner logs in', via: 0 },
    { step: 'add a dog', via: 0 },
    { step: 'the receptionist logs in', via: 0 },
  ],
  // The receptionist logged in again on each instance, at each instance's front-desk computer.
  scaleOutLogin: ['the receptionist logs in'],
  scaleOut: [
    { name: 'the receptionist logged in through one instance is logged in on every instance', kind: 'session', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    {
      name: 'a lab result uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: uploadRecord, via: 0 },
        { step: downloadRecord, via: 'every', expect: bodyIs(labResult) },
      ],
    },
    {
      name: 'a fee changed through one instance reads the same on every instance',
      kind: 'read-after-write',
      steps: [
        // Every instance has the vet in its cache first.
        { step: showVet, via: 'every', expect: valueAt('vet.feeCents', () => 4500) },
        { step: { name: 'change the fee to 61 pounds', method: 'PATCH', path: '/vets/1', json: { feeCents: 6100 }, status: 200 }, via: 0 },
        { step: { ...showVet, name: 'show the vet after the fee change' }, via: 'every', expect: valueAt('vet.feeCents', () => 6100) },
      ],
    },
    {
      name: "a booking answers with the vet's day including it",
      kind: 'read-after-write',
      steps: [
        {
          step: {
            name: 'book the dog in here',
            method: 'POST',
            path: '/appointments',
            json: (v) => booking('2027-03-02', `1${v.instance}:10`)(v),
            save: { hereAppointmentId: 'appointment.id' },
            status: 201,
          },
          via: 'every',
          expect: listsSaved('vetDay', 'id', 'hereAppointmentId'),
        },
      ],
    },
    {
      name: 'bookings through three instances add up in the day so far',
      kind: 'counter',
      steps: [
        { step: { ...statsToday, name: 'the day so far before', save: { bookedBefore: 'appointmentsBooked' } }, via: 1, jar: 'shared' },
        { step: { name: 'book the dog in to count', method: 'POST', path: '/appointments', json: (v) => booking('2027-03-03', `1${v.instance}:30`)(v), status: 201 }, via: 'every' },
        { step: { ...statsToday, save: { bookedCounted: 'appointmentsBooked' } }, via: 1, jar: 'shared', expect: valueAt('appointmentsBooked', (v) => Number(v.bookedBefore) + 3) },
      ],
    },
    {
      name: 'wrong passwords through three instances add up to the lock-out',
      kind: 'counter',
      steps: [
        { step: wrongPassword, via: 'every' },
        { step: wrongPassword, via: 0 },
        { step: wrongPassword, via: 1 },
        { step: { ...wrongPassword, name: 'a sixth wrong password', status: 429 }, via: 2 },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there.
    { name: 'after the instance she logged in through is killed, the receptionist is still logged in', kind: 'killed', steps: [{ step: 'me', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the lab result still downloads', kind: 'killed', steps: [{ step: downloadRecord, via: 'every', expect: bodyIs(labResult) }] },
    {
      name: 'after an instance that counted bookings is killed, its bookings still count',
      kind: 'killed',
      steps: [{ step: statsToday, via: 'every', jar: 'shared', expect: valueAt('appointmentsBooked', (v) => Number(v.bookedCounted)) }],
    },
    { name: 'after an instance that counted wrong passwords is killed, the lock-out still holds', kind: 'killed', steps: [{ step: { ...wrongPassword, name: 'a wrong password after the kill', status: 429 }, via: 'every' }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'src/main.ts:19', code: 'session({', note: "express-session with no store: its default MemoryStore keeps every login in this process" },
    { kind: 'session', at: 'src/vets/vets.service.ts:11', code: 'private readonly cache = new Map<number, Vet>();', note: 'a Map of vet rows in a singleton service, set on read (line 29), deleted on a fee change only in the process that made it' },
    { kind: 'session', at: 'src/appointments/waiting-room.gateway.ts:5', code: "@WebSocketGateway({ namespace: '/waiting-room' })", note: 'a socket.io gateway broadcasting to rooms per vet (line 17) with no adapter: a booking made through one process reaches only the screens connected to it' },
    { kind: 'counter', at: 'src/appointments/stats.service.ts:7', code: 'private appointmentsBooked = 0;', note: "the front desk's bookings today, a service field, reset by a @Cron at midnight" },
    { kind: 'counter', at: 'src/appointments/stats.service.ts:8', code: 'private feesBookedCents = 0;', note: 'the same for the fees' },
    { kind: 'counter', at: 'src/auth/login-attempts.service.ts:15', code: 'private readonly failures = new Map<string, Failures>();', note: 'wrong passwords per account in a service field, the entry bumped in place (line 32): five per process, not per account' },
    { kind: 'counter', at: 'src/appointments/appointments.service.ts:22', code: 'private readonly bookingLock = new Mutex();', note: "an async-mutex Mutex in a service field around the slot check and insert: two instances book the same slot at once (the table's unique key turns the second into a 500)" },
    { kind: 'scheduler', at: 'src/appointments/reminders.job.ts:24', code: "@Cron('0 7 * * *')", note: "@nestjs/schedule: tomorrow's reminders mailed by every process" },
    { kind: 'scheduler', at: 'src/vets/vets.service.ts:40', code: '@Interval(10 * 60 * 1000)', note: "clears this process's vet cache only" },
    { kind: 'disk', at: 'src/pets/pets.controller.ts:51', code: 'storage: diskStorage({', note: 'FileInterceptor with multer diskStorage into the local upload folder' },
    { kind: 'disk', at: 'src/pets/pets.controller.ts:80', code: 'res.sendFile(record.fileName, { root: UPLOAD_DIR });', note: 'another route reads the lab result back from there' },
    { kind: 'blocking', at: 'src/appointments/appointments.service.ts:62', code: 'await this.mail.send(', note: 'the confirmation mail (nodemailer, mail.service.ts:26) awaited while the booking request waits' },
    { kind: 'replica', at: 'src/appointments/appointments.service.ts:69', code: 'const vetDay = await this.dayOf(vet.id, dto.day);', note: "the vet's day re-read through the second DataSource ('replica', @InjectRepository(Appointment, 'replica')) right after the insert on the primary" },
    { kind: 'look-alike', at: 'src/vets/vets.service.ts:18', code: 'findAll(): Promise<Vet[]> {', note: 'the vet list read from the standby, no write before it' },
    { kind: 'look-alike', at: 'src/appointments/reminders.job.ts:26', code: 'const rows: Reminder[] = await this.replica.query(', note: "the reminders read tomorrow's day from the standby, no write before it" },
    { kind: 'look-alike', at: 'src/common/species.ts:2', code: 'export const SPECIES = Object.freeze({', note: 'constant table of species and visit lengths' },
    { kind: 'look-alike', at: 'src/config/clinic.config.ts:13', code: "export default registerAs('clinic', (): ClinicConfig => JSON.parse(readFileSync(join(__dirname, '..', '..', 'clinic.json'), 'utf8')));", note: 'clinic.json read once by the ConfigModule at start-up' },
    { kind: 'look-alike', at: 'src/auth/auth.service.ts:24', code: "this.staffCode = config.get<string>('STAFF_CODE', 'whiskers-at-the-door');", note: 'a ConfigService value kept in a field by the constructor, never changed by a request' },
    { kind: 'look-alike', at: 'src/main.ts:12', code: 'mkdirSync(UPLOAD_DIR, { recursive: true });', note: 'sync mkdir at start-up' },
    { kind: 'look-alike', at: 'src/auth/passwords.ts:8', code: 'const key = await scryptAsync(password, salt, 32);', note: 'scrypt promisified: the hashing runs on the thread pool, not on the request thread' },
  ],
};

export default scenario;
