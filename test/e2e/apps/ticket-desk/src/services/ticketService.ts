import { Semaphore } from 'async-mutex';
import { PRIORITIES, TICKET_STATUSES, type Priority } from '../constants';
import { HttpError } from '../middleware/errorHandler';
import { broadcast } from '../realtime/hub';
import { ticketRepository, type ReplyRow, type TicketRow } from '../repositories/ticketRepository';
import { customerProfile, type CustomerProfile } from './customerService';
import { mailService } from './mailService';
import { settingsService } from './settingsService';

// One claim at a time, so two agents pressing "next ticket" together do not get the same one.
const assignment = new Semaphore(1);

export interface NewTicket {
  email?: string;
  name?: string;
  subject?: string;
  body?: string;
  priority?: string;
}

export const ticketService = {
  async open(input: NewTicket): Promise<{ ticket: TicketRow; acknowledgement: string }> {
    if (!input.email || !input.subject || !input.body) throw new HttpError(400, 'email, subject and body are required');
    const priority = (input.priority ?? 'normal') as Priority;
    if (!(priority in PRIORITIES)) throw new HttpError(400, `priority must be one of ${Object.keys(PRIORITIES).join(', ')}`);
    const ticket = await ticketRepository.insert({
      customer_email: input.email,
      customer_name: input.name ?? input.email,
      subject: input.subject,
      body: input.body,
      priority,
    });
    const greeting = (await settingsService.get('greeting')) ?? '';
    const messageId = await mailService.sendAcknowledgement(ticket.customer_email, { id: ticket.id, name: ticket.customer_name, subject: ticket.subject, greeting });
    broadcast('ticket-opened', { id: ticket.id, subject: ticket.subject, priority });
    return { ticket, acknowledgement: messageId };
  },

  async list(status?: string): Promise<TicketRow[]> {
    const tickets = await ticketRepository.list(status);
    return tickets.sort((a, b) => PRIORITIES[a.priority as Priority].rank - PRIORITIES[b.priority as Priority].rank || a.id - b.id);
  },

  async show(id: number): Promise<{ ticket: TicketRow; customer: CustomerProfile; replies: ReplyRow[] }> {
    const ticket = await ticketRepository.findById(id);
    if (!ticket) throw new HttpError(404, 'no such ticket');
    const [customer, replies] = await Promise.all([customerProfile(ticket.customer_email), ticketRepository.thread(id)]);
    return { ticket, customer, replies };
  },

  claimNext(agentId: number): Promise<TicketRow> {
    return assignment.runExclusive(async () => {
      const next = await ticketRepository.oldestUnassigned();
      if (!next) throw new HttpError(404, 'no unassigned tickets');
      const ticket = await ticketRepository.assign(next.id, agentId);
      broadcast('ticket-assigned', { id: ticket.id, assignee: agentId });
      return ticket;
    });
  },

  async reply(ticketId: number, agentId: number, body: string | undefined): Promise<{ reply: ReplyRow; thread: ReplyRow[] }> {
    if (!body) throw new HttpError(400, 'body is required');
    const ticket = await ticketRepository.findById(ticketId);
    if (!ticket) throw new HttpError(404, 'no such ticket');
    if (ticket.status === 'closed') throw new HttpError(409, 'the ticket is closed');
    const reply = await ticketRepository.insertReply(ticketId, agentId, body);
    const thread = await ticketRepository.thread(ticketId);
    broadcast('ticket-replied', { id: ticketId, reply: reply.id });
    return { reply, thread };
  },

  async setStatus(id: number, status: string): Promise<TicketRow> {
    if (!(TICKET_STATUSES as readonly string[]).includes(status)) throw new HttpError(400, `status must be one of ${TICKET_STATUSES.join(', ')}`);
    const ticket = await ticketRepository.setStatus(id, status);
    if (!ticket) throw new HttpError(404, 'no such ticket');
    broadcast('ticket-updated', { id, status });
    return ticket;
  },
};
