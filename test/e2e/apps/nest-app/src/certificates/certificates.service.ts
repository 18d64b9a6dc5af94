import { Injectable } from '@nestjs/common';
import { createWriteStream, mkdirSync } from 'fs';
import { join } from 'path';
import PDFDocument from 'pdfkit';

const CERT_DIR = join(process.env.UPLOAD_DIR || join(process.cwd(), 'uploads'), 'certificates');

@Injectable()
export class CertificatesService {
  constructor() {
    mkdirSync(CERT_DIR, { recursive: true });
  }

  render(name: string, courseTitle: string, file: string): Promise<string> {
    const path = join(CERT_DIR, file);
    return new Promise((resolve, reject) => {
      const doc = new PDFDocument({ layout: 'landscape', info: { CreationDate: new Date(0), ModDate: new Date(0) } });
      const out = createWriteStream(path);
      out.on('finish', () => resolve(path));
      out.on('error', reject);
      doc.pipe(out);
      doc.fontSize(32).text('Certificate of Completion', { align: 'center' });
      doc.moveDown().fontSize(20).text(name, { align: 'center' });
      doc.moveDown().fontSize(16).text(`has completed "${courseTitle}"`, { align: 'center' });
      doc.end();
    });
  }
}
