import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'crypto';
import { agentRepository, type AgentRow } from '../repositories/agentRepository';
import { HttpError } from '../middleware/errorHandler';

function hashPassword(password: string, salt: string): string {
  return pbkdf2Sync(password, salt, 100_000, 32, 'sha256').toString('hex');
}

export interface PublicAgent {
  id: number;
  email: string;
  name: string;
  admin: boolean;
}

const toPublic = (agent: AgentRow): PublicAgent => ({ id: agent.id, email: agent.email, name: agent.name, admin: agent.is_admin });

export const authService = {
  async signup(email: string, name: string, password: string): Promise<PublicAgent> {
    if (await agentRepository.findByEmail(email)) throw new HttpError(409, 'an agent with that email exists');
    const salt = randomBytes(16).toString('hex');
    // The first agent sets the desk up and administers it.
    const isAdmin = (await agentRepository.count()) === 0;
    const agent = await agentRepository.insert({ email, name, salt, password_hash: hashPassword(password, salt), is_admin: isAdmin });
    return toPublic(agent);
  },

  async verify(email: string, password: string): Promise<PublicAgent | undefined> {
    const agent = await agentRepository.findByEmail(email);
    if (!agent) return undefined;
    const given = Buffer.from(hashPassword(password, agent.salt), 'hex');
    const stored = Buffer.from(agent.password_hash, 'hex');
    return given.length === stored.length && timingSafeEqual(given, stored) ? toPublic(agent) : undefined;
  },
};
