// koa-session keeps only the key in the cookie; the session itself lives here.
const sessions = new Map();

export default {
  get(key) {
    const entry = sessions.get(key);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      sessions.delete(key);
      return undefined;
    }
    return entry.session;
  },
  set(key, session, maxAge) {
    sessions.set(key, { session, expires: Date.now() + (typeof maxAge === 'number' ? maxAge : 86400000) });
  },
  destroy(key) {
    sessions.delete(key);
  },
};
