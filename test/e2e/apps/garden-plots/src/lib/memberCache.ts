import { eq } from 'drizzle-orm';
import { db } from '../db/client.js';
import { members, type Member } from '../db/schema.js';

// Every request looks up who is logged in; members rarely change, so keep the rows here.
const cache = new Map<number, Member>();

export async function findMember(id: number): Promise<Member | undefined> {
  const cached = cache.get(id);
  if (cached) return cached;
  const [row] = await db.select().from(members).where(eq(members.id, id));
  if (row) cache.set(id, row);
  return row;
}

export function remember(member: Member): void {
  cache.set(member.id, member);
}
