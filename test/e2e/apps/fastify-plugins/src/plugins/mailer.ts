import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import nodemailer, { Transporter } from 'nodemailer';

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Transporter;
    renderTemplate(name: string, vars: Record<string, string | number>): string;
  }
}

export default fp(async (fastify) => {
  const transport = process.env.SMTP_HOST
    ? nodemailer.createTransport({ host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT ?? 25) })
    : nodemailer.createTransport({ jsonTransport: true });
  fastify.decorate('mailer', transport);
  fastify.decorate('renderTemplate', (name: string, vars: Record<string, string | number>) => {
    const template = fs.readFileSync(path.join(__dirname, '..', 'templates', `${name}.txt`), 'utf8');
    return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(vars[key] ?? ''));
  });
}, { name: 'mailer' });
