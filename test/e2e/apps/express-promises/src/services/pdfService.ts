import fs from 'fs';
import path from 'path';
import PDFDocument from 'pdfkit';
import { config } from '../config';
import { Invoice } from './invoiceService';

export const pdfDir = path.join(config.uploadDir, 'pdf');

const money = (cents: number) => `${(cents / 100).toFixed(2)} ${config.currency}`;

export function pdfPath(id: number): string {
  return path.join(pdfDir, `invoice-${id}.pdf`);
}

// Renders the invoice to uploads/pdf/invoice-<id>.pdf and resolves with the path.
export function renderInvoice(invoice: Invoice): Promise<string> {
  return fs.promises.mkdir(pdfDir, { recursive: true }).then(
    () =>
      new Promise<string>((resolve, reject) => {
        const file = pdfPath(invoice.id);
        // fixed dates so the same invoice renders the same bytes
        const doc = new PDFDocument({ size: 'A4', margin: 50, info: { CreationDate: new Date(0), ModDate: new Date(0) } });
        const out = fs.createWriteStream(file);
        out.on('finish', () => resolve(file));
        out.on('error', reject);
        doc.pipe(out);
        doc.fontSize(20).text(`${config.company} - Invoice #${invoice.id}`);
        doc.moveDown().fontSize(12).text(`Bill to: ${invoice.customer} <${invoice.customerEmail}>`);
        doc.text(`Due: ${invoice.dueDate}`);
        doc.moveDown();
        invoice.lines.forEach((line) => {
          doc.text(`${line.quantity} x ${line.description} @ ${money(line.unitCents)}`);
        });
        doc.moveDown().text(`Net: ${money(invoice.netCents)}`);
        doc.text(`Tax: ${money(invoice.taxCents)}`);
        doc.fontSize(14).text(`Total: ${money(invoice.totalCents)}`);
        doc.end();
      }),
  );
}
