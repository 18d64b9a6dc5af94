// Academy's scripted clients: a teacher and a student register and log in (bearer tokens), the
// teacher opens a course, the student views it, enrols, uploads an assignment and downloads a
// certificate; then the student logs out.
import type { Scenario } from '../harness';
import { bodyIs, valueAt } from '../checks';

const teacher = { email: 'barbara@academy.test', password: 'liskov-substitution', displayName: 'Barbara Liskov', role: 'teacher' };
const student = { email: 'alan@academy.test', password: 'turing-complete', displayName: 'Alan' };
const essay = 'On computable numbers, with an application to the homework.\n';
const asTeacher = (v: Record<string, string>) => ({ authorization: `Bearer ${v.teacherToken}` });
const asStudent = (v: Record<string, string>) => ({ authorization: `Bearer ${v.studentToken}` });

const scenario: Scenario = {
  app: 'nest-app',
  build: true,
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'register the teacher', method: 'POST', path: '/auth/register', json: teacher, status: 201 },
    { name: 'register the student', method: 'POST', path: '/auth/register', json: student, status: 201 },
    { name: 'register without a password', method: 'POST', path: '/auth/register', json: { email: 'x@academy.test' }, status: 400 },
    // A person logs in a moment after registering, not within the standby's lag.
    { name: 'teacher logs in', method: 'POST', path: '/auth/login', json: teacher, afterReplicaCatchesUp: true, save: { teacherToken: 'accessToken' }, status: 200 },
    { name: 'student logs in', method: 'POST', path: '/auth/login', json: student, save: { studentToken: 'accessToken' }, status: 200 },
    { name: 'student logs in with a wrong password', method: 'POST', path: '/auth/login', json: { ...student, password: 'halting' }, status: 401 },
    { name: 'student may not create a course', method: 'POST', path: '/courses', headers: asStudent, json: { title: 'Hacking' }, status: 403 },
    { name: 'teacher creates a course', method: 'POST', path: '/courses', headers: asTeacher, json: { title: 'Data Abstraction', description: 'CLU and friends', seats: 3 }, save: { courseId: 'id' }, status: 201 },
    { name: 'list the courses', method: 'GET', path: '/courses', afterReplicaCatchesUp: true, status: 200 },
    { name: 'view the course (1)', method: 'GET', path: (v) => `/courses/${v.courseId}`, status: 200 },
    { name: 'view the course (2)', method: 'GET', path: (v) => `/courses/${v.courseId}`, status: 200 },
    { name: 'enrol', method: 'POST', path: (v) => `/courses/${v.courseId}/enrol`, headers: asStudent, status: 201 },
    { name: 'enrol again', method: 'POST', path: (v) => `/courses/${v.courseId}/enrol`, headers: asStudent, afterReplicaCatchesUp: true, status: 409 },
    {
      name: 'upload an assignment',
      method: 'POST',
      path: (v) => `/courses/${v.courseId}/submissions`,
      headers: asStudent,
      form: () => {
        const form = new FormData();
        form.append('file', new Blob([essay], { type: 'text/plain' }), 'essay.txt');
        return form;
      },
      save: { submission: 'filename' },
      status: 201,
    },
    { name: 'list the submissions', method: 'GET', path: (v) => `/courses/${v.courseId}/submissions`, headers: asTeacher, status: 200 },
    { name: 'download the assignment', method: 'GET', path: (v) => `/courses/${v.courseId}/submissions/${v.submission}`, headers: asTeacher, status: 200 },
    { name: 'download the certificate', method: 'GET', path: (v) => `/certificates/${v.courseId}`, headers: asStudent, summarise: true, status: 200 },
    { name: 'teacher has no certificate', method: 'GET', path: (v) => `/certificates/${v.courseId}`, headers: asTeacher, status: 403 },
    { name: 'popular courses', method: 'GET', path: '/courses/popular', status: 200 },
    { name: 'profile', method: 'GET', path: '/auth/profile', headers: asStudent, status: 200 },
    { name: 'logout', method: 'POST', path: '/auth/logout', headers: asStudent, status: 204 },
    { name: 'profile after logout', method: 'GET', path: '/auth/profile', headers: asStudent, status: 401 },
  ],
  normalise: [
    { key: 'accessToken', as: '<token>' },
    { key: 'createdAt', as: '<time>' },
    { pattern: /^(\d+)-(\d+)-\d+\.txt$/, as: '$1-$2-<ms>.txt' },
  ],
  differencesAfterFix: [
    'POST /courses/:id/enrol counts the enrolment it just wrote (its count goes to the primary): seatsLeft is 2, not 3',
    'GET /certificates/:id may answer 202 and the PDF come later when rendering moves to a queue',
  ],
  stepsAFixMayChange: ['enrol', 'download the certificate'],
  scaleOutSetup: [
    { step: 'register the teacher', via: 0 },
    { step: 'register the student', via: 0 },
    { step: 'teacher logs in', via: 0, afterReplicaCatchesUp: true },
    { step: 'student logs in', via: 0 },
    { step: 'teacher creates a course', via: 0 },
    { step: 'enrol', via: 0, afterReplicaCatchesUp: true },
  ],
  // The login route allows 5 a minute per address (@Throttle) and every client here comes from
  // 127.0.0.1: with the limit shared by the instances, the setup's two logins and the teacher's on
  // each instance are the five. The student's requests in the checks go through instance 0, where
  // the setup logged the student in.
  scaleOutLogin: ['teacher logs in'],
  scaleOut: [
    { name: 'a token issued by one instance is accepted by every instance', kind: 'session', steps: [{ step: 'profile', via: 'every', jar: 'shared' }] },
    {
      name: 'an assignment uploaded through one instance downloads through every instance',
      kind: 'file',
      steps: [
        { step: 'upload an assignment', via: 0 },
        { step: 'download the assignment', via: 'every', expect: bodyIs(essay) },
      ],
    },
    {
      name: 'nine views through three instances make the tenth view count 10',
      kind: 'counter',
      steps: [
        { step: 'view the course (1)', via: 'every', times: 3 },
        { step: 'view the course (1)', via: 0, expect: valueAt('views', () => 10) },
      ],
    },
    {
      name: 'logins through three instances add up to the limit of five a minute',
      kind: 'counter',
      steps: [{ step: { name: 'a sixth login in the minute', method: 'POST', path: '/auth/login', json: teacher, status: 429 }, via: 1 }],
    },
    {
      name: 'an enrolment counts in the seats left it answers with',
      kind: 'read-after-write',
      steps: [
        { step: 'teacher creates a course', via: 0 },
        { step: 'enrol', via: 0, afterReplicaCatchesUp: true, expect: valueAt('seatsLeft', () => 2) },
      ],
    },
    // Instance 0 is killed before these: what was acknowledged through it must still be there. The
    // shared client's course is the one the counter check viewed (the read-after-write check made another).
    { name: 'after the instance that issued it is killed, the token is still accepted', kind: 'killed', steps: [{ step: 'profile', via: 'every', jar: 'shared' }] },
    { name: 'after the instance it was uploaded through is killed, the assignment still downloads', kind: 'killed', steps: [{ step: 'download the assignment', via: 'every', expect: bodyIs(essay) }] },
    { name: 'after an instance that counted logins is killed, the limit still holds', kind: 'killed', steps: [{ step: { name: 'a login after the kill', method: 'POST', path: '/auth/login', json: teacher, status: 429 }, via: 'every' }] },
    { name: 'after an instance that counted views is killed, its views still count', kind: 'killed', steps: [{ step: 'view the course (1)', via: 1, jar: 'shared', expect: valueAt('views', () => 11) }] },
  ],
  knownScaleOutFailures: {},
  planted: [
    { kind: 'session', at: 'src/auth/auth.service.ts:17', code: 'private readonly tokens = new Map<string, AuthUser>();', note: 'access tokens in a singleton service field, set at login (line 33)' },
    { kind: 'counter', at: 'src/app.module.ts:16', code: 'ThrottlerModule.forRoot(', note: '@nestjs/throttler with its default in-memory storage' },
    { kind: 'counter', at: 'src/courses/courses.service.ts:27', code: 'this.views[id] = (this.views[id] ?? 0) + 1;', note: 'views per course in a service field' },
    { kind: 'disk', at: 'src/submissions/submissions.controller.ts:19', code: 'storage: diskStorage({', note: 'FileInterceptor with multer diskStorage' },
    { kind: 'disk', at: 'src/submissions/submissions.controller.ts:38', code: 'res.sendFile(filename, { root: SUBMISSIONS_DIR }', note: 'another route reads the upload back' },
    { kind: 'session', at: 'src/submissions/submissions.service.ts:13', code: 'private readonly byCourse = new Map<number, Submission[]>();', note: 'submission metadata kept only in memory' },
    { kind: 'disk', at: 'src/certificates/certificates.service.ts:18', code: 'createWriteStream(path)', note: 'certificate PDF written to the local folder' },
    { kind: 'blocking', at: 'src/auth/auth.service.ts:24', code: 'bcrypt.hashSync(', note: 'bcryptjs hashSync on register' },
    { kind: 'blocking', at: 'src/auth/auth.service.ts:30', code: 'bcrypt.compareSync(', note: 'bcryptjs compareSync on login' },
    { kind: 'blocking', at: 'src/certificates/certificates.controller.ts:19', code: 'await this.certificates.render(', note: 'pdfkit certificate rendered while the request waits' },
    { kind: 'replica', at: 'src/courses/courses.service.ts:37', code: 'await this.enrolments.count(', note: 'TypeORM replication: the count after the save reads a slave' },
    { kind: 'look-alike', at: 'src/certificates/certificates.service.ts:11', code: 'mkdirSync(CERT_DIR', note: 'sync mkdir in a provider constructor (start-up)' },
    { kind: 'look-alike', at: 'src/courses/courses.service.ts:20', code: 'findAll() {', note: 'a replica read with no write before it' },
  ],
};

export default scenario;
