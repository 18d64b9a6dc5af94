import { db, replica } from '../db/pool';

export interface TicketRow {
  id: number;
  customer_email: string;
  customer_name: string;
  subject: string;
  body: string;
  priority: string;
  status: string;
  assignee_id: number | null;
  created_at: Date;
}

export interface ReplyRow {
  id: number;
  ticket_id: number;
  agent_id: number;
  agent_name: string;
  body: string;
  created_at: Date;
}

export const ticketRepository = {
  async insert(ticket: Pick<TicketRow, 'customer_email' | 'customer_name' | 'subject' | 'body' | 'priority'>): Promise<TicketRow> {
    const { rows } = await db.query<TicketRow>(
      'INSERT INTO tickets (customer_email, customer_name, subject, body, priority) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [ticket.customer_email, ticket.customer_name, ticket.subject, ticket.body, ticket.priority],
    );
    return rows[0];
  },

  async findById(id: number): Promise<TicketRow | undefined> {
    const { rows } = await db.query<TicketRow>('SELECT * FROM tickets WHERE id = $1', [id]);
    return rows[0];
  },

  async list(status?: string): Promise<TicketRow[]> {
    const { rows } = status
      ? await replica.query<TicketRow>('SELECT * FROM tickets WHERE status = $1 ORDER BY id', [status])
      : await replica.query<TicketRow>('SELECT * FROM tickets ORDER BY id');
    return rows;
  },

  async oldestUnassigned(): Promise<TicketRow | undefined> {
    const { rows } = await db.query<TicketRow>(
      "SELECT * FROM tickets WHERE assignee_id IS NULL AND status = 'open' ORDER BY id LIMIT 1",
    );
    return rows[0];
  },

  async assign(id: number, agentId: number): Promise<TicketRow> {
    const { rows } = await db.query<TicketRow>('UPDATE tickets SET assignee_id = $2 WHERE id = $1 RETURNING *', [id, agentId]);
    return rows[0];
  },

  async setStatus(id: number, status: string): Promise<TicketRow | undefined> {
    const { rows } = await db.query<TicketRow>('UPDATE tickets SET status = $2 WHERE id = $1 RETURNING *', [id, status]);
    return rows[0];
  },

  async insertReply(ticketId: number, agentId: number, body: string): Promise<ReplyRow> {
    const { rows } = await db.query<ReplyRow>(
      'INSERT INTO replies (ticket_id, agent_id, body) VALUES ($1, $2, $3) RETURNING *, (SELECT name FROM agents WHERE id = $2) AS agent_name',
      [ticketId, agentId, body],
    );
    return rows[0];
  },

  async thread(ticketId: number): Promise<ReplyRow[]> {
    const { rows } = await replica.query<ReplyRow>(
      'SELECT r.*, a.name AS agent_name FROM replies r JOIN agents a ON a.id = r.agent_id WHERE r.ticket_id = $1 ORDER BY r.id',
      [ticketId],
    );
    return rows;
  },

  async countByCustomer(email: string): Promise<{ tickets: number; open: number }> {
    const { rows } = await replica.query<{ tickets: string; open: string }>(
      "SELECT count(*) AS tickets, count(*) FILTER (WHERE status <> 'closed') AS open FROM tickets WHERE customer_email = $1",
      [email],
    );
    return { tickets: Number(rows[0].tickets), open: Number(rows[0].open) };
  },

  async openSummary(): Promise<{ priority: string; n: number }[]> {
    const { rows } = await replica.query<{ priority: string; n: string }>(
      "SELECT priority, count(*) AS n FROM tickets WHERE status <> 'closed' GROUP BY priority ORDER BY priority",
    );
    return rows.map((row) => ({ priority: row.priority, n: Number(row.n) }));
  },
};
