import { describe, expect, it } from 'vitest';
import { analyzeSourceFile, planFixes } from '../index';
import { createProgram } from '../testing/program';

// Session stores that write the sessions into files next to the app: every instance has its own
// files, so a user signed in through one instance is a stranger to the others.

const APP = `const express = require('express');
const session = require('express-session');
const FileStore = require('session-file-store')(session);

const app = express();
app.use(session({ store: new FileStore({ path: './sessions', ttl: 3600 }), secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.get('/', (req, res) => res.send(req.session.user ? 'hello' : 'sign in'));
module.exports = app;
`;

function analyze(files: Record<string, string>, fileName: string) {
  const program = createProgram(files);
  const sourceFile = program.getSourceFile(fileName)!;
  return { program, sourceFile, findings: analyzeSourceFile(sourceFile, { program, projectRoot: '/project', rules: ['no-in-memory-session'] }) };
}

describe('session stores on the local disk', () => {
  it('session-file-store: reported at the new store, and the fix is refused with what to do instead', () => {
    const { program, sourceFile, findings } = analyze({ '/project/app.js': APP }, '/project/app.js');
    expect(findings.map((finding) => [finding.messageId, finding.message])).toEqual([
      ['sessionStoreOnDisk', "session-file-store keeps sessions in files on this instance's disk (FileStore). Behind a load balancer users are logged out whenever a request reaches another instance."],
    ]);
    expect(planFixes(sourceFile, findings[0], { program, projectRoot: '/project' })).toEqual({
      plans: [],
      refused: {
        title: 'Keep the sessions in Redis',
        reason: 'the sessions are in files this instance owns: replace the store with one every instance reads (`new RedisStore({ client })` from connect-redis), after the users can sign in again or the existing sessions are copied over',
      },
    });
  });

  it('quiet: a Redis store, and a file store in a script that is not the web process', () => {
    const redis = APP.replace("const FileStore = require('session-file-store')(session);", "const { RedisStore } = require('connect-redis');\nconst { createClient } = require('redis');\nconst client = createClient({ url: process.env.REDIS_URL });").replace("new FileStore({ path: './sessions', ttl: 3600 })", 'new RedisStore({ client })');
    expect(analyze({ '/project/app.js': redis }, '/project/app.js').findings).toEqual([]);
    expect(analyze({ '/project/scripts/dev-login.js': APP }, '/project/scripts/dev-login.js').findings).toEqual([]);
  });
});
