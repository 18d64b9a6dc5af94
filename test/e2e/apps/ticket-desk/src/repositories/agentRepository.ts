import { db } from '../db/pool';

export interface AgentRow {
  id: number;
  email: string;
  name: string;
  password_hash: string;
  salt: string;
  is_admin: boolean;
}

export const agentRepository = {
  async findByEmail(email: string): Promise<AgentRow | undefined> {
    const { rows } = await db.query<AgentRow>('SELECT * FROM agents WHERE email = $1', [email]);
    return rows[0];
  },

  async count(): Promise<number> {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM agents');
    return Number(rows[0].n);
  },

  async insert(agent: Omit<AgentRow, 'id'>): Promise<AgentRow> {
    const { rows } = await db.query<AgentRow>(
      'INSERT INTO agents (email, name, password_hash, salt, is_admin) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [agent.email, agent.name, agent.password_hash, agent.salt, agent.is_admin],
    );
    return rows[0];
  },
};
