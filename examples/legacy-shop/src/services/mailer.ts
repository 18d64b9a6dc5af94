import nodemailer from 'nodemailer';
import { config } from '../config.js';
import type { Order } from '../db/schema.js';

// No SMTP server in development: the JSON transport serialises the message instead of sending it.
const transporter = config.smtpUrl
  ? nodemailer.createTransport(config.smtpUrl)
  : nodemailer.createTransport({ jsonTransport: true });

export async function sendOrderConfirmation(to: string, order: Order, invoicePdf: Buffer): Promise<void> {
  // hazard: no-blocking-request-work
  const info = await transporter.sendMail({
    from: config.mailFrom,
    to,
    subject: `Your order #${order.id}`,
    text: `Thanks for your order! Total: ${(order.totalCents / 100).toFixed(2)} EUR.`,
    attachments: [{ filename: `invoice-${order.id}.pdf`, content: invoicePdf }],
  });
  console.log(`[mail] confirmation for order ${order.id} -> ${to} (${info.messageId})`);
}

export async function sendOpsReport(subject: string, text: string): Promise<void> {
  // quiet: awaited e-mail in a scheduled job, not on a request path
  const info = await transporter.sendMail({ from: config.mailFrom, to: config.opsEmail, subject, text });
  console.log(`[mail] ops report "${subject}" -> ${config.opsEmail} (${info.messageId})`);
}
