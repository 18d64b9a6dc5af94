import path from 'path';

export const config = {
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: process.env.DATABASE_URL ?? 'postgres://localhost/ticketdesk',
  replicaUrl: process.env.DATABASE_REPLICA_URL ?? process.env.DATABASE_URL ?? 'postgres://localhost/ticketdesk',
  uploadDir: process.env.UPLOAD_DIR ?? path.join(__dirname, '..', 'uploads'),
  smtp: process.env.SMTP_HOST
    ? {
        host: process.env.SMTP_HOST,
        port: Number(process.env.SMTP_PORT ?? 587),
        auth: process.env.SMTP_USER ? { user: process.env.SMTP_USER, pass: process.env.SMTP_PASS ?? '' } : undefined,
      }
    : undefined,
  mailFrom: process.env.MAIL_FROM ?? 'Ticket Desk <support@ticketdesk.test>',
  sessionCookie: 'desk.sid',
  sessionTtlMs: 8 * 60 * 60 * 1000,
  maxAttachmentBytes: 5 * 1024 * 1024,
};
