import nodemailer from 'nodemailer';
import { config } from '../config.js';

const transport = config.smtp ? nodemailer.createTransport(config.smtp) : nodemailer.createTransport({ jsonTransport: true });

export async function sendMail(to: string, subject: string, text: string): Promise<string> {
  const info = await transport.sendMail({ from: config.mailFrom, to, subject, text });
  return info.messageId;
}
