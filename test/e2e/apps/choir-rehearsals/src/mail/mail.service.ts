import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as nodemailer from 'nodemailer';
import { ChoirConfig } from '../config/choir.config';

const MAIL_TIMEOUT_MS = 10_000;

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
          auth: config.get('SMTP_USER') ? { user: config.get<string>('SMTP_USER'), pass: config.get<string>('SMTP_PASS') } : undefined,
        })
      : nodemailer.createTransport({ jsonTransport: true });
    const choir = config.get<ChoirConfig>('choir')!;
    this.from = `"${choir.name}" <${choir.email}>`;
  }

  async send(to: string, subject: string, text: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const info = await Promise.race([
        this.transporter.sendMail({ from: this.from, to, subject, text }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`mail to ${to} timed out`)), MAIL_TIMEOUT_MS);
        }),
      ]);
      this.logger.log(`mail to ${to}: ${info.messageId}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
