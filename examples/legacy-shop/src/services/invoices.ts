import fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { config } from '../config.js';
import type { Order } from '../db/schema.js';

const money = (cents: number) => `EUR ${(cents / 100).toFixed(2)}`;

// Rendered inside the POST /orders request: the customer waits for the PDF.
export function renderInvoice(order: Order, customerEmail: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // hazard: no-blocking-request-work
    const doc = new PDFDocument({ size: 'A4', margin: 50 });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.fontSize(22).text('Legacy Shop — Invoice');
    doc.moveDown().fontSize(11).text(`Invoice #${order.id}   ${order.createdAt.toISOString().slice(0, 10)}`);
    doc.text(`Bill to: ${customerEmail}`).moveDown();
    for (const item of order.items) {
      doc.text(`${item.quantity} x product #${item.productId}   ${money(item.priceCents * item.quantity)}`);
    }
    doc.moveDown().text(`Shipping: ${order.shipping}`);
    doc.fontSize(14).text(`Total: ${money(order.totalCents)}`);
    doc.end();
  });
}

export function invoicePath(orderId: number): string {
  return path.resolve(config.invoiceDir, `invoice-${orderId}.pdf`);
}

// Kept so GET /orders/:id/invoice can serve it later.
export async function saveInvoice(orderId: number, pdf: Buffer): Promise<string> {
  const file = invoicePath(orderId);
  // hazard: no-local-disk-write
  await fs.promises.writeFile(file, pdf);
  return file;
}
