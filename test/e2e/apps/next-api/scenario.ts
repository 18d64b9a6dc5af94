// Journal's scripted client (its own React front end, here replaced by fetch): sign up, sign in
// (an HttpOnly cookie), upload a cover image, write a post with it, read it, export everything.
import type { Scenario } from '../harness';

const author = { handle: 'octavia', password: 'parable-of-the-sower' };
const cover = 'fake gif bytes for a cover\n';

const scenario: Scenario = {
  app: 'next-api',
  build: true,
  readyPath: '/api/health',
  steps: [
    { name: 'health', method: 'GET', path: '/api/health', status: 200 },
    { name: 'sign up', method: 'POST', path: '/api/auth/signup', json: author, status: 201 },
    { name: 'sign up with a short password', method: 'POST', path: '/api/auth/signup', json: { handle: 'x', password: 'short' }, status: 400 },
    { name: 'sign in with a wrong password', method: 'POST', path: '/api/auth/login', json: { handle: author.handle, password: 'kindred-kindred' }, status: 401 },
    { name: 'sign in', method: 'POST', path: '/api/auth/login', json: author, status: 200 },
    { name: 'me', method: 'GET', path: '/api/auth/me', status: 200 },
    {
      name: 'upload a cover',
      method: 'POST',
      path: '/api/media',
      form: () => {
        const form = new FormData();
        form.append('file', new Blob([cover], { type: 'image/gif' }), 'earthseed.gif');
        return form;
      },
      save: { coverUrl: 'url' },
      status: 201,
    },
    { name: 'fetch the cover', method: 'GET', path: (v) => v.coverUrl, status: 200 },
    { name: 'write a post', method: 'POST', path: '/api/posts', json: (v) => ({ title: 'God is change', body: 'All that you touch you change.', cover: v.coverUrl }), save: { postId: 'id' }, status: 201 },
    { name: 'read the post', method: 'GET', path: (v) => `/api/posts/${v.postId}`, afterReplicaCatchesUp: true, status: 200 },
    { name: 'read the post again', method: 'GET', path: (v) => `/api/posts/${v.postId}`, status: 200 },
    { name: 'list the posts', method: 'GET', path: '/api/posts', status: 200 },
    { name: 'export (gzip)', method: 'GET', path: '/api/export', status: 200 },
    { name: 'export without a session', method: 'GET', path: '/api/export', client: 'mobile', status: 401 },
    { name: 'sign out', method: 'POST', path: '/api/auth/logout', status: 200 },
    { name: 'me after sign out', method: 'GET', path: '/api/auth/me', status: 401 },
  ],
  normalise: [{ pattern: /\/api\/media\/\d+-/g, as: '/api/media/<ms>-' }],
  differencesAfterFix: [
    'POST /api/posts answers with the post it wrote (its read goes to the primary); before, the standby had not replayed the insert and the reply had only the id',
    'cover URLs may point at object storage (or a route that streams from it) instead of a file in the local upload folder',
  ],
};

export default scenario;
