import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../index';
import { ROOT, applyPlan, movePlan } from '../testing/fix-plans';
import { createProgram } from '../testing/program';

// Fastify plugins hand work to routes through decorators: `fastify.decorate('renderTemplate', fn)`
// with `renderTemplate` declared on FastifyInstance by module augmentation. The request graph
// follows a call of the decorated member into the function, and the async rewrite changes the
// declaration (`Promise<string>`) and awaits every call of the member.

const FASTIFY = `export interface FastifyRequest { body: { email: string; name: string } }
export interface FastifyReply { code(status: number): FastifyReply; send(value: unknown): FastifyReply }
export interface FastifyInstance {
  decorate(name: string, value: unknown): FastifyInstance;
  post(path: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown): void;
}
export type FastifyPluginAsync = (fastify: FastifyInstance) => Promise<void>;
`;
const NODEMAILER = `export interface Transporter { sendMail(options: { to: string; text: string }): Promise<{ messageId: string }> }
export function createTransport(options: object): Transporter;
`;

function files(template: string): Record<string, string> {
  return {
    [`${ROOT}/node_modules/fastify/index.d.ts`]: FASTIFY,
    [`${ROOT}/node_modules/@types/nodemailer/index.d.ts`]: NODEMAILER,
    [`${ROOT}/src/plugins/mailer.ts`]: `import fs from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import { createTransport, type Transporter } from 'nodemailer';
declare module 'fastify' {
  interface FastifyInstance {
    mailer: Transporter;
    renderTemplate(name: string, vars: Record<string, string>): string;
  }
}
export const mailer: FastifyPluginAsync = async (fastify) => {
  fastify.decorate('mailer', createTransport({ jsonTransport: true }));
  fastify.decorate('renderTemplate', (name: string, vars: Record<string, string>) => {
    ${template}
    return template.replace(/\\{\\{(\\w+)\\}\\}/g, (_, key: string) => vars[key] ?? '');
  });
};
`,
    [`${ROOT}/src/routes/tickets.ts`]: `import type { FastifyPluginAsync } from 'fastify';
export const tickets: FastifyPluginAsync = async (fastify) => {
  fastify.post('/tickets', async (request, reply) => {
    const { email, name } = request.body;
    await fastify.mailer.sendMail({ to: email, text: fastify.renderTemplate('new-ticket', { name }) });
    return reply.code(201).send({ ok: true });
  });
};
`,
  };
}

function findings(project: Record<string, string>, fileName: string): string[] {
  const program = createProgram(project, { types: [] });
  const sourceFile = program.getSourceFile(fileName)!;
  return analyzeSourceFile(sourceFile, { program, projectRoot: ROOT, rules: ['no-blocking-request-work'] }).map((finding) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(finding.start);
    return `${line + 1}:${character + 1} ${finding.messageId} ${finding.data.callee}`;
  });
}

describe('Fastify decorators on the request path', () => {
  it('a readFileSync in a decorated function called by a route is reported; sendMail on a decorated nodemailer transport too', () => {
    const project = files("const template = fs.readFileSync(`templates/${name}.txt`, 'utf8');");
    expect(findings(project, `${ROOT}/src/plugins/mailer.ts`)).toEqual(['13:22 syncCall fs.readFileSync']);
    expect(findings(project, `${ROOT}/src/routes/tickets.ts`)).toEqual(['5:11 slowCall fastify.mailer.sendMail']);
  });

  it('quiet: the template read once at plugin start-up, outside the decorated function', () => {
    const project = files('const template = vars.body ?? name;');
    project[`${ROOT}/src/plugins/mailer.ts`] = project[`${ROOT}/src/plugins/mailer.ts`].replace(
      'export const mailer',
      "const layout = fs.readFileSync('templates/layout.txt', 'utf8');\nexport const mailer",
    );
    expect(findings(project, `${ROOT}/src/plugins/mailer.ts`)).toEqual([]);
  });

  it('the fix makes the decorated function async, its declaration Promise<string>, and awaits the route’s call', () => {
    const project = files("const template = fs.readFileSync(`templates/${name}.txt`, 'utf8');");
    const fixed = applyPlan(project, movePlan(project, 'no-blocking-request-work', `${ROOT}/src/plugins/mailer.ts`));
    expect(fixed[`${ROOT}/src/plugins/mailer.ts`]).toBe(`import fs from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import { createTransport, type Transporter } from 'nodemailer';
declare module 'fastify' {
  interface FastifyInstance {
    mailer: Transporter;
    renderTemplate(name: string, vars: Record<string, string>): Promise<string>;
  }
}
export const mailer: FastifyPluginAsync = async (fastify) => {
  fastify.decorate('mailer', createTransport({ jsonTransport: true }));
  fastify.decorate('renderTemplate', async (name: string, vars: Record<string, string>) => {
    const template = await fs.promises.readFile(\`templates/\${name}.txt\`, 'utf8');
    return template.replace(/\\{\\{(\\w+)\\}\\}/g, (_, key: string) => vars[key] ?? '');
  });
};
`);
    expect(fixed[`${ROOT}/src/routes/tickets.ts`]).toBe(`import type { FastifyPluginAsync } from 'fastify';
export const tickets: FastifyPluginAsync = async (fastify) => {
  fastify.post('/tickets', async (request, reply) => {
    const { email, name } = request.body;
    await fastify.mailer.sendMail({ to: email, text: await fastify.renderTemplate('new-ticket', { name }) });
    return reply.code(201).send({ ok: true });
  });
};
`);
  });
});
