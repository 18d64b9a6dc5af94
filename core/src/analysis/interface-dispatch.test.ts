import { afterAll, describe, expect, it } from 'vitest';
import { analyseTyped, analyseUntyped, removeAnalysedProjects, type AnalysedFile } from '../testing/project-findings';

// A call made through an interface: a factory declared to return `MailHandler` hands back one of its
// handlers, whose base class sends through a field declared `MailProvider`, which each handler fills
// with its own provider. The checker finds the implementations by symbol; without one, the classes
// whose `implements` clause names the interface do (novu's mail handlers and providers).

afterAll(removeAnalysedProjects);

const files: Record<string, string> = {
  'src/app.ts': `import express from 'express';
import { MailFactory } from './mail/factory';
const app = express();
const factory = new MailFactory();
app.post('/test-email', async (req, res) => {
  const handler = factory.getHandler(req.body.provider);
  await handler.send(req.body);
  res.sendStatus(204);
});
app.listen(3000);
`,
  'src/mail/handler.ts': `export interface Mail { to: string; body: string }
export interface MailProvider { sendMessage(mail: Mail): Promise<void> }
export interface MailHandler { canHandle(id: string): boolean; send(mail: Mail): Promise<void> }
export abstract class BaseHandler implements MailHandler {
  protected provider!: MailProvider;
  constructor(private readonly id: string) {}
  canHandle(id: string): boolean { return id === this.id; }
  abstract buildProvider(): void;
  async send(mail: Mail): Promise<void> {
    this.buildProvider();
    await this.provider.sendMessage(mail);
  }
}
`,
  'src/mail/factory.ts': `import { BaseHandler, type MailHandler } from './handler';
import { SmtpProvider } from './smtp.provider';
class SmtpHandler extends BaseHandler {
  constructor() { super('smtp'); }
  buildProvider(): void { this.provider = new SmtpProvider(); }
}
export class MailFactory {
  handlers: MailHandler[] = [new SmtpHandler()];
  getHandler(id: string): MailHandler {
    const handler = this.handlers.find((candidate) => candidate.canHandle(id));
    if (!handler) throw new Error('no handler');
    return handler;
  }
}
`,
  'src/mail/smtp.provider.ts': `import * as fs from 'node:fs';
import type { Mail, MailProvider } from './handler';
export class SmtpProvider implements MailProvider {
  async sendMessage(mail: Mail): Promise<void> {
    const template = fs.readFileSync('templates/mail.html', 'utf8');
    console.log(mail.to, template.length);
  }
}
`,
  // The same method name in a class that implements no mail interface: no call through one reaches it.
  'src/digest/writer.ts': `import * as fs from 'node:fs';
export class DigestWriter {
  async sendMessage(text: string): Promise<void> {
    fs.writeFileSync('digest.txt', text);
  }
}
`,
};

const lines = ({ sourceFile, findings }: AnalysedFile): string[] => findings.map((finding) => `${finding.ruleId} ${sourceFile.getLineAndCharacterOfPosition(finding.start).line + 1}`);

describe('a call through an interface reaches the classes that implement it', () => {
  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: the provider the handler sends through blocks POST /test-email', (_mode, analyse) => {
    const provider = analyse(files, 'src/mail/smtp.provider.ts');
    expect(lines(provider)).toEqual(['no-blocking-request-work 5']);
    expect(provider.findings[0].message).toContain('POST /test-email');
  });

  it.each([
    ['untyped', analyseUntyped],
    ['typed', analyseTyped],
  ])('%s: a method of the same name in a class implementing no interface of the call stays quiet', (_mode, analyse) => {
    expect(lines(analyse(files, 'src/digest/writer.ts'))).toEqual([]);
  });
});
