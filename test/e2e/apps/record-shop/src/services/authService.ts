import crypto from 'crypto';
import { db } from '../lib/db';
import { config } from '../config';
import { welcomeQueue } from '../queues/welcome';
import { HttpError } from '../types';

const ITERATIONS = 210000;

export interface Customer {
  id: number;
  email: string;
  name: string;
  staff: boolean;
}

// Wrong passwords per address: three in fifteen minutes and the address waits.
const loginAttempts = new Map<string, { count: number; first: number }>();
const WINDOW_MS = 15 * 60 * 1000;
const MAX_ATTEMPTS = 3;

function hash(password: string, salt: string): string {
  return crypto.pbkdf2Sync(password, salt, ITERATIONS, 32, 'sha256').toString('hex');
}

export async function signup(email: string, name: string, password: string): Promise<Customer> {
  const salt = crypto.randomBytes(16).toString('hex');
  const staff = email.endsWith(`@${config.shop.staffDomain}`);
  try {
    const { rows } = await db.query(
      'INSERT INTO customers (email, name, password_hash, salt, staff) VALUES ($1, $2, $3, $4, $5) RETURNING id, email, name, staff',
      [email.toLowerCase(), name, hash(password, salt), salt, staff],
    );
    const customer: Customer = rows[0];
    await welcomeQueue.add('welcome', { customerId: customer.id, email: customer.email, name: customer.name });
    return customer;
  } catch (err: any) {
    if (err.code === '23505') throw new HttpError(409, 'an account with that email already exists');
    throw err;
  }
}

export function tooManyAttempts(ip: string): boolean {
  const entry = loginAttempts.get(ip);
  if (!entry) return false;
  if (Date.now() - entry.first > WINDOW_MS) {
    loginAttempts.delete(ip);
    return false;
  }
  return entry.count >= MAX_ATTEMPTS;
}

function recordFailure(ip: string): void {
  const entry = loginAttempts.get(ip);
  if (entry) entry.count++;
  else loginAttempts.set(ip, { count: 1, first: Date.now() });
}

export async function login(email: string, password: string, ip: string): Promise<Customer> {
  const { rows } = await db.query('SELECT id, email, name, staff, password_hash, salt FROM customers WHERE email = $1', [String(email).toLowerCase()]);
  const row = rows[0];
  const candidate = hash(String(password), row ? row.salt : 'no-such-customer');
  if (!row || !crypto.timingSafeEqual(Buffer.from(candidate, 'hex'), Buffer.from(row.password_hash, 'hex'))) {
    recordFailure(ip);
    throw new HttpError(401, 'wrong email or password');
  }
  loginAttempts.delete(ip);
  return { id: row.id, email: row.email, name: row.name, staff: row.staff };
}

export async function findCustomer(id: number): Promise<Customer | undefined> {
  const { rows } = await db.query('SELECT id, email, name, staff FROM customers WHERE id = $1', [id]);
  return rows[0];
}
