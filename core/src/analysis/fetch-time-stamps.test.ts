import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// The time of this process's last fetch of a list it keeps (`this.versions = versions; this.versionsFetchedAt
// = now`, after `if (this.versions.length > 0 && now - this.versionsFetchedAt < DAY) return this.versions`)
// is the age of that copy, not a count or a lock: what the copy holds is the copy's own reading. The
// look-alike, a stamp written after the mail it throttles (with the text sent beside it), stays reported.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-counter', 'no-in-process-lock', 'no-in-memory-session'] as const;

const service = (work: string) => `import axios from 'axios';
import { mailer } from './mailer';

const DAY = 24 * 60 * 60 * 1000;

class ReleaseService {
  private versions: string[] = [];
  private versionsFetchedAt = 0;

  async listVersions(text: string) {
    const now = Date.now();
    if (this.versions.length > 0 && now - this.versionsFetchedAt < DAY) return this.versions;
${work}
    return this.versions;
  }
}

export const releases = new ReleaseService();
`;

const FETCH = `    const response = await axios.get('https://releases.example.test/versions');
    const versions = (response.data as string[]).filter((v) => /^\\d+\\.\\d+$/.test(v)).sort();
    if (versions.length > 0) {
      this.versions = versions;
      this.versionsFetchedAt = now;
    }`;

const MAIL = `    await mailer.sendMail({ subject: 'versions asked', text });
    this.versions = [text];
    this.versionsFetchedAt = now;`;

const app = `import express from 'express';
import { releases } from './releases';

const app = express();
app.get('/versions', async (req, res) => {
  res.json(await releases.listVersions(String(req.query.note)));
});
app.listen(3000);
`;

const files = (work: string) => ({ 'releases.ts': service(work), 'app.ts': app, 'mailer.ts': 'export const mailer = { async sendMail(message: object) { return message; } };\n' });

describe('a fetch time stamped beside the copy it dates', () => {
  it('quiet for the counter, lock and session rules (typed and untyped)', () => {
    expect(typedFindings(files(FETCH), 'releases.ts', [...RULES])).toEqual([]);
    expect(untypedFindings(files(FETCH), 'releases.ts', [...RULES])).toEqual([]);
  });

  it('stays reported when the work before the stamp sends mail', () => {
    const typed = typedFindings(files(MAIL), 'releases.ts', [...RULES]);
    expect(typed.some((finding) => finding.startsWith('8:11 '))).toBe(true);
    expect(untypedFindings(files(MAIL), 'releases.ts', [...RULES])).toEqual(typed);
  });
});
