import nodemailer from 'nodemailer';
import { config } from './config';

const transport = config.smtp
  ? nodemailer.createTransport({ host: config.smtp.host, port: config.smtp.port, auth: { user: config.smtp.user, pass: config.smtp.pass } })
  : nodemailer.createTransport({ jsonTransport: true });

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export async function sendMail(mail: Mail): Promise<string> {
  const info = await transport.sendMail({ from: config.mailFrom, ...mail });
  return info.messageId;
}
