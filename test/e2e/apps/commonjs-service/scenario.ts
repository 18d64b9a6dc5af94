// Docstore's scripted client: an editor logs in with the seeded account, PUTs two documents as raw
// bodies, downloads and previews them, comments, and reads the service's own stats.
import type { Scenario } from '../harness';

const notes = '# Meeting notes\n\n- ship the importer\n- rotate the keys\n- lunch\n';
const budget = 'item,eur\nservers,1200\nlicences,300\n';
const editor = { username: 'editor', password: 'editor' };

const scenario: Scenario = {
  app: 'commonjs-service',
  readyPath: '/health',
  steps: [
    { name: 'health', method: 'GET', path: '/health', status: 200 },
    { name: 'documents before login', method: 'GET', path: '/documents', status: 401 },
    { name: 'login with a wrong password', method: 'POST', path: '/login', json: { username: 'editor', password: 'admin' }, status: 401 },
    { name: 'login', method: 'POST', path: '/login', json: editor, status: 200 },
    { name: 'whoami', method: 'GET', path: '/whoami', status: 200 },
    { name: 'upload notes.md', method: 'PUT', path: '/documents/notes.md', text: notes, headers: { 'content-type': 'text/markdown' }, status: 201 },
    { name: 'upload budget.csv', method: 'PUT', path: '/documents/budget.csv', text: budget, headers: { 'content-type': 'text/csv' }, status: 201 },
    { name: 'upload with a bad name', method: 'PUT', path: '/documents/..%2Fescape', text: 'x', headers: { 'content-type': 'text/plain' }, status: 400 },
    { name: 'download notes.md', method: 'GET', path: '/documents/notes.md', status: 200 },
    { name: 'download notes.md again', method: 'GET', path: '/documents/notes.md', status: 200 },
    { name: 'preview notes.md', method: 'GET', path: '/documents/notes.md/preview', status: 200 },
    { name: 'download a missing document', method: 'GET', path: '/documents/missing.txt', status: 404 },
    { name: 'comment on notes.md', method: 'POST', path: '/documents/notes.md/comments', json: { text: 'Who books lunch?' }, status: 201 },
    { name: 'comments on notes.md', method: 'GET', path: '/documents/notes.md/comments', afterReplicaCatchesUp: true, status: 200 },
    { name: 'list the documents', method: 'GET', path: '/documents', status: 200 },
    { name: 'stats', method: 'GET', path: '/stats', status: 200 },
    { name: 'logout', method: 'POST', path: '/logout', status: 200 },
    { name: 'whoami after logout', method: 'GET', path: '/whoami', status: 401 },
  ],
  normalise: [{ key: 'since', as: '<time>' }],
  differencesAfterFix: [
    'POST /documents/:name/comments lists the comment it just wrote (the read goes to the primary); before, the standby had not replayed it and the list was empty',
    'the preview of a stored document may be computed off the request (a queue) and appear a moment later',
  ],
};

export default scenario;
