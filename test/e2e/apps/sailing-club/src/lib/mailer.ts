import nodemailer from 'nodemailer';
import { config } from '../config';

const transport = config.smtp ? nodemailer.createTransport(config.smtp) : nodemailer.createTransport({ jsonTransport: true });

export async function sendReservationConfirmation(to: string, name: string, boatName: string, day: string): Promise<void> {
  await transport.sendMail({
    from: config.club.mailFrom,
    to,
    subject: `${boatName} is yours on ${day}`,
    text: `Hello ${name},\n\n${boatName} is reserved for you on ${day}. The slipway opens at ${config.club.slipwayOpens}.\n\n${config.club.name}`,
  });
}

export async function sendReminder(to: string, boatName: string, day: string): Promise<void> {
  await transport.sendMail({
    from: config.club.mailFrom,
    to,
    subject: `Tomorrow: ${boatName}`,
    text: `A reminder that ${boatName} is reserved for you tomorrow, ${day}.`,
  });
}
