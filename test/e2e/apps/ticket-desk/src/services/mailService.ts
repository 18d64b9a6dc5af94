import fs from 'fs';
import path from 'path';
import nodemailer from 'nodemailer';
import { config } from '../config';

const transport = config.smtp ? nodemailer.createTransport(config.smtp) : nodemailer.createTransport({ jsonTransport: true });

const acknowledgementTemplate = fs.readFileSync(path.join(__dirname, '..', '..', 'templates', 'acknowledgement.txt'), 'utf8');

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}

export const mailService = {
  async sendAcknowledgement(to: string, values: { id: number; name: string; subject: string; greeting: string }): Promise<string> {
    const info = await transport.sendMail({
      from: config.mailFrom,
      to,
      subject: `[#${values.id}] ${values.subject}`,
      text: fill(acknowledgementTemplate, values),
    });
    return String(info.messageId);
  },

  async sendDigest(to: string, lines: string[]): Promise<void> {
    await transport.sendMail({ from: config.mailFrom, to, subject: 'Open tickets this morning', text: lines.join('\n') });
  },
};
