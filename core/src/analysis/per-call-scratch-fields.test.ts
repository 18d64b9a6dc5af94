import { afterAll, describe, expect, it } from 'vitest';
import { removeAnalysedProjects, typedFindings, untypedFindings } from '../testing/project-findings';

// A cron panel's notification service (held-out round 36): one instance for the process, whose
// `notify(title, content)` sets `this.title`, `this.content` and `this.params` from its own arguments,
// then calls the sender picked from a table of its private methods, which read them. Scratch of one
// call: no request reads what an earlier one left. Stay reported: a field a public method reads
// (what the last call left, handed to the next request), a private reader some method reaches without
// writing first, and a write on one branch before a read outside it.

afterAll(removeAnalysedProjects);

const RULES = ['no-in-memory-session', 'no-in-memory-counter'] as const;

const service = (extra: string, notify = `if (type) {
      this.title = title;
      this.content = content;
      this.params = { url: String(type) };
      const send = this.senders.get(type);
      return send?.call(this);
    }
    return false;`) => `export class NotificationService {
  private senders = new Map([
    ['webhook', this.webhook],
    ['chat', this.chat],
  ]);

  private title = '';
  private content = '';
  private params: { url: string } = { url: '' };

  async notify(type: string, title: string, content: string) {
    ${notify}
  }

  private async webhook() {
    await fetch(this.params.url, { method: 'POST', body: this.format() });
    return true;
  }

  private async chat() {
    await fetch(this.params.url, { method: 'POST', body: this.title });
    return this.content.length > 0;
  }

  private format() {
    return JSON.stringify({ title: this.title, content: this.content });
  }
${extra}}

export const notifications = new NotificationService();
`;

const server = `import express from 'express';
import { notifications } from './notify';

const app = express();
app.post('/notify', async (req, res) => {
  res.json({ sent: await notifications.notify(String(req.body.type), String(req.body.title), String(req.body.content)) });
});
app.get('/last', (req, res) => {
  res.json({ last: notifications.lastTitle() });
});
app.listen(3000);
`;

const files = (extra: string, notify?: string) => ({ 'notify.ts': service(extra, notify), 'server.ts': server });
const session = (line: number, column: number, name: string) =>
  `${line}:${column} no-in-memory-session: \`${name}\` holds application data in this process; it is written by POST /notify (server.ts:5). A second instance will not see it.`;

const noReader = `
  lastTitle() {
    return 'none';
  }
`;

describe("a singleton's private fields set per call before its methods read them", () => {
  it('are quiet when every read follows a write of the same call (typed and untyped)', () => {
    expect(typedFindings(files(noReader), 'notify.ts', [...RULES])).toEqual([]);
    expect(untypedFindings(files(noReader), 'notify.ts', [...RULES])).toEqual([]);
  });

  it('a public method that reads the field hands the last call’s value to a later request: reported', () => {
    const reader = `
  lastTitle() {
    return this.title;
  }
`;
    expect(typedFindings(files(reader), 'notify.ts', ['no-in-memory-session'])).toEqual([session(7, 11, 'title')]);
    expect(untypedFindings(files(reader), 'notify.ts', ['no-in-memory-session'])).toEqual([session(7, 11, 'title')]);
  });

  it('a private reader reached from a method that writes nothing: reported', () => {
    const reader = `
  lastTitle() {
    return this.format();
  }
`;
    const both = [session(7, 11, 'title'), session(8, 11, 'content')];
    expect(typedFindings(files(reader), 'notify.ts', ['no-in-memory-session'])).toEqual(both);
    expect(untypedFindings(files(reader), 'notify.ts', ['no-in-memory-session'])).toEqual(both);
  });

  it('a write on one branch and the read outside it: reported', () => {
    const notify = `if (type === 'chat') {
      this.title = title;
    }
    this.content = content;
    this.params = { url: String(type) };
    const send = this.senders.get(type);
    return send?.call(this);`;
    expect(typedFindings(files(noReader, notify), 'notify.ts', ['no-in-memory-session'])).toEqual([session(7, 11, 'title')]);
    expect(untypedFindings(files(noReader, notify), 'notify.ts', ['no-in-memory-session'])).toEqual([session(7, 11, 'title')]);
  });
});
