import fs from 'fs';
import path from 'path';
import { NextFunction, Request, Response } from 'express';
import * as invoices from '../services/invoiceService';
import { pdfPath, renderInvoice } from '../services/pdfService';
import { sendInvoiceMail } from '../services/mailService';
import { attachmentDir } from '../middleware/upload';
import { usage } from '../middleware/usage';

export function create(req: Request, res: Response, next: NextFunction) {
  const { customer, customerEmail, lines } = req.body || {};
  if (!customer || !customerEmail || !Array.isArray(lines) || lines.length === 0) {
    res.status(400).json({ message: 'customer, customerEmail and lines are required' });
    return;
  }
  const user = req.user!;
  invoices
    .createInvoice(user, customer, customerEmail, lines)
    .then((id) => invoices.findById(user.id, id))
    .then((invoice) => res.status(201).json({ invoice }))
    .catch(next);
}

export function list(req: Request, res: Response, next: NextFunction) {
  invoices
    .listForUser(req.user!.id)
    .then((rows) => res.json({ invoices: rows }))
    .catch(next);
}

export function show(req: Request, res: Response, next: NextFunction) {
  invoices
    .findById(req.user!.id, Number(req.params.id))
    .then((invoice) => {
      if (!invoice) {
        res.status(404).json({ message: 'Invoice not found' });
        return;
      }
      res.json({ invoice });
    })
    .catch(next);
}

// Renders the PDF, mails it to the customer, and marks the invoice sent.
export function send(req: Request, res: Response, next: NextFunction) {
  const id = Number(req.params.id);
  // give up if the mail server hangs
  const timer = setTimeout(() => {
    if (!res.headersSent) res.status(504).json({ message: 'Sending timed out' });
  }, 20000);
  invoices
    .findById(req.user!.id, id)
    .then((invoice) => {
      if (!invoice) {
        res.status(404).json({ message: 'Invoice not found' });
        return;
      }
      return renderInvoice(invoice)
        .then((file) => sendInvoiceMail(invoice.customerEmail, invoice.id, file).then((messageId) => ({ file, messageId })))
        .then(({ file, messageId }) =>
          invoices.markSent(id).then(() => {
            res.json({ id, status: 'sent', pdf: `/invoices/${id}/pdf`, bytes: fs.statSync(file).size > 0, mailed: Boolean(messageId) });
          }),
        );
    })
    .catch(next)
    .finally(() => clearTimeout(timer));
}

export function downloadPdf(req: Request, res: Response) {
  res.sendFile(pdfPath(Number(req.params.id)), (err) => {
    if (err && !res.headersSent) res.status(404).json({ message: 'PDF not generated yet' });
  });
}

export function addAttachment(req: Request, res: Response) {
  if (!req.file) {
    res.status(400).json({ message: 'file is required' });
    return;
  }
  res.status(201).json({ name: req.file.filename, size: req.file.size, url: `/invoices/${req.params.id}/attachments/${req.file.filename}` });
}

export function getAttachment(req: Request, res: Response) {
  const file = path.join(attachmentDir, path.basename(req.params.name));
  res.download(file, (err) => {
    if (err && !res.headersSent) res.status(404).json({ message: 'Attachment not found' });
  });
}

export function account(req: Request, res: Response) {
  res.json({ email: req.user!.email, country: req.user!.country, requests: usage[req.user!.id] || 0 });
}
