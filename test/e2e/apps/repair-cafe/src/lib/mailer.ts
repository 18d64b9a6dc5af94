import nodemailer from 'nodemailer';
import { config } from '../config.js';

const transport = process.env.SMTP_HOST
  ? nodemailer.createTransport({ host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT ?? 587) })
  : nodemailer.createTransport({ jsonTransport: true });

export async function mailReady(to: string, owner: string, description: string, ticket: number): Promise<void> {
  await transport.sendMail({
    from: config.cafe.mailFrom,
    to,
    subject: `Ticket ${ticket}: your ${description} is ready`,
    text: `Hello ${owner},\n\nyour ${description} is fixed and waiting for you at the front desk.\n\n${config.cafe.name}`,
  });
}
