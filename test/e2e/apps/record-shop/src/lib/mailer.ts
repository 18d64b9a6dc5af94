import { readFileSync } from 'fs';
import path from 'path';
import nodemailer from 'nodemailer';
import { config } from '../config';

export const transporter = process.env.SMTP_HOST
  ? nodemailer.createTransport({ host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT || 587) })
  : nodemailer.createTransport({ jsonTransport: true });

type Template = (vars: Record<string, string | number>) => string;

const compiled = new Map<string, Template>();

// Templates never change while the shop runs: compile each once.
export function template(name: string): Template {
  let render = compiled.get(name);
  if (!render) {
    const text = readFileSync(path.join(__dirname, '..', '..', 'templates', `${name}.txt`), 'utf8');
    render = (vars) => text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(vars[key] ?? ''));
    compiled.set(name, render);
  }
  return render;
}

export function sendMail(to: string, subject: string, text: string) {
  return transporter.sendMail({ from: config.shop.mailFrom, to, subject, text });
}
