import nodemailer from 'nodemailer';
import { config } from '../config';

const transport = config.smtp ? nodemailer.createTransport(config.smtp) : nodemailer.createTransport({ jsonTransport: true });

export function sendInvoiceMail(to: string, invoiceId: number, pdfFile: string): Promise<string> {
  return transport
    .sendMail({
      from: config.mailFrom,
      to,
      subject: `Invoice #${invoiceId} from ${config.company}`,
      text: `Please find invoice #${invoiceId} attached.`,
      attachments: [{ filename: `invoice-${invoiceId}.pdf`, path: pdfFile }],
    })
    .then((info) => String(info.messageId));
}
