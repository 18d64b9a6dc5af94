import nodemailer from 'nodemailer';
import { gym } from './config';

const transporter = process.env.SMTP_HOST
  ? nodemailer.createTransport({
      host: process.env.SMTP_HOST,
      port: Number(process.env.SMTP_PORT || 587),
      auth: process.env.SMTP_USER ? { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS } : undefined,
    })
  : nodemailer.createTransport({ jsonTransport: true });

const MAIL_TIMEOUT_MS = 5000;

export async function sendWelcome(to: string, name: string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('mail timed out')), MAIL_TIMEOUT_MS);
  });
  try {
    await Promise.race([
      transporter.sendMail({
        from: gym.mailFrom,
        to,
        subject: `Welcome to ${gym.name}`,
        text: `Hi ${name},\n\nYour membership is ready. Bring chalk.\n\nOpening hours: ${gym.openingHours.weekdays} (weekdays), ${gym.openingHours.weekends} (weekends).`,
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export async function sendBookingConfirmation(to: string, classTitle: string) {
  await transporter.sendMail({ from: gym.mailFrom, to, subject: `Booked: ${classTitle}`, text: `See you at ${classTitle}.` });
}
