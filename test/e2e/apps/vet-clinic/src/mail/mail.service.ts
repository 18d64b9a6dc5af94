import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as nodemailer from 'nodemailer';
import { ClinicConfig } from '../config/clinic.config';

@Injectable()
export class MailService {
  private readonly logger = new Logger(MailService.name);
  private readonly transporter: nodemailer.Transporter;
  private readonly from: string;

  constructor(config: ConfigService) {
    const host = config.get<string>('SMTP_HOST');
    this.transporter = host
      ? nodemailer.createTransport({
          host,
          port: Number(config.get('SMTP_PORT', 587)),
          auth: config.get('SMTP_USER') ? { user: config.get('SMTP_USER'), pass: config.get('SMTP_PASS') } : undefined,
        })
      : nodemailer.createTransport({ jsonTransport: true });
    const clinic = config.get<ClinicConfig>('clinic');
    this.from = `"${clinic.name}" <${clinic.email}>`;
  }

  async send(to: string, subject: string, text: string): Promise<void> {
    const info = await this.transporter.sendMail({ from: this.from, to, subject, text });
    this.logger.log(`mail to ${to}: ${info.messageId}`);
  }
}
