import { eq } from 'drizzle-orm';
import { db } from '../db/client.js';
import { users, type User } from '../db/schema.js';
import { passwordMatches } from './passwords.js';

export async function verifyCredentials(email: string, password: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  if (!user || !passwordMatches(password, user.salt, user.passwordHash)) return undefined;
  return user;
}
