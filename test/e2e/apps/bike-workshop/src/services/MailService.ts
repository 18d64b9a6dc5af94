import nodemailer, { Transporter } from 'nodemailer';
import { config } from '../config';
import { SERVICES, ServiceCode } from '../constants';

const MAIL_TIMEOUT_MS = 10_000;

export interface RepairMail {
  customer_name: string;
  customer_email: string;
  bike: string;
  service: string;
  booked_for: string;
}

export class MailService {
  private transport: Transporter;

  constructor() {
    this.transport = config.smtpHost
      ? nodemailer.createTransport({ host: config.smtpHost, port: config.smtpPort })
      : nodemailer.createTransport({ jsonTransport: true });
  }

  private async send(to: string, subject: string, text: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.transport.sendMail({ from: config.mailFrom, replyTo: config.workshop.replyTo, to, subject, text }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('mail server did not answer in time')), MAIL_TIMEOUT_MS);
        }),
      ]);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  async bookingConfirmation(repair: RepairMail): Promise<void> {
    const service = SERVICES[repair.service as ServiceCode];
    await this.send(
      repair.customer_email,
      `Your ${service.label.toLowerCase()} is booked`,
      `Hi ${repair.customer_name},\n\nwe have your ${repair.bike} down for a ${service.label.toLowerCase()} on ${repair.booked_for}.\n` +
        `Opening hours: ${config.workshop.openingHours}.\n\n${config.workshop.name}`,
    );
  }

  async readyForPickup(repair: RepairMail): Promise<void> {
    await this.send(repair.customer_email, 'Your bike is ready', `Hi ${repair.customer_name},\n\nyour ${repair.bike} is ready to collect.\n\n${config.workshop.name}`);
  }
}
