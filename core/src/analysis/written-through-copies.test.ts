import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A settings manager loads its file into a field when it is made, and the admin routes change the
// field in place (a provider pushed with a fresh id, a flag raised), each changing method then
// saving the whole field back to the file through a method of the class. Every instance loaded its
// own copy; only the one that served the change has the new settings: a cache, not a user's
// session. The look-alike that stays a session: the same manager keeping each user's drafts by
// user id, saved the same way.

afterAll(removeAnalysedProjects);

const manager = (field: string, write: string) => `import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

interface Settings {
  providers: { id: string; url: string }[];
  setupDone: boolean;
  drafts: Record<string, string>;
}

class SettingsManager {
  private readonly file = path.join(process.cwd(), 'data', 'settings.json');
  ${field}: Settings = { providers: [], setupDone: false, drafts: {} };

  constructor() {
    if (fs.existsSync(this.file)) this.${field} = JSON.parse(fs.readFileSync(this.file, 'utf-8'));
  }

  private persist(): void {
    fs.writeFileSync(this.file, JSON.stringify(this.${field}, null, 2));
  }

  public change(userId: string, id: string, url: string): void {
${write}
    this.persist();
  }

  public get(): Settings {
    return this.${field};
  }
}

export const settings = new SettingsManager();
`;

const routes = `import express from 'express';
import { settings } from './settings';

const app = express();
app.use(express.json());
app.post('/api/settings/providers', (req, res) => {
  settings.change(String(req.headers['x-user']), req.body.id, req.body.url);
  res.json(settings.get());
});
app.listen(3000);
`;

const RULES = ['no-in-memory-session', 'no-process-local-cache', 'no-in-memory-counter'];

const PROVIDERS = `    this.current.providers.push({ id: crypto.randomUUID(), url });
    this.current.setupDone = true;`;
const DRAFTS = `    this.current.drafts[userId] = url;`;

const CACHE = '13:3 no-process-local-cache';

describe("a settings file's copy, changed in place by requests and saved back whole", () => {
  it('providers pushed and a flag raised, then saved through a method: a cache (typed)', () => {
    const findings = typedFindings({ 'settings.ts': manager('current', PROVIDERS), 'routes.ts': routes }, 'settings.ts', RULES);
    expect(findings.map((finding) => finding.split(':').slice(0, 2).join(':'))).toEqual([CACHE]);
  });

  it('providers pushed and a flag raised, then saved through a method: a cache (untyped)', () => {
    const findings = untypedFindings({ 'settings.ts': manager('current', PROVIDERS), 'routes.ts': routes }, 'settings.ts', RULES);
    expect(findings.map((finding) => finding.split(':').slice(0, 2).join(':'))).toEqual([CACHE]);
  });

  it("each user's drafts kept by user id, saved the same way: stays a session (typed)", () => {
    const findings = typedFindings({ 'settings.ts': manager('current', DRAFTS), 'routes.ts': routes }, 'settings.ts', RULES);
    expect(findings.map((finding) => finding.split(':').slice(0, 2).join(':'))).toEqual(['13:3 no-in-memory-session']);
  });

  it("each user's drafts kept by user id, saved the same way: stays a session (untyped)", () => {
    const findings = untypedFindings({ 'settings.ts': manager('current', DRAFTS), 'routes.ts': routes }, 'settings.ts', RULES);
    expect(findings.map((finding) => finding.split(':').slice(0, 2).join(':'))).toEqual(['13:3 no-in-memory-session']);
  });
});
