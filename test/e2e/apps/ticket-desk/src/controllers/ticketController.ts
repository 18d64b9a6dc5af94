import type { NextFunction, Request, Response } from 'express';
import type { ReplyRow, TicketRow } from '../repositories/ticketRepository';
import { ticketService } from '../services/ticketService';

const present = (ticket: TicketRow) => ({
  id: ticket.id,
  subject: ticket.subject,
  customer: { email: ticket.customer_email, name: ticket.customer_name },
  priority: ticket.priority,
  status: ticket.status,
  assignee: ticket.assignee_id,
  createdAt: ticket.created_at,
});

const presentReply = (reply: ReplyRow) => ({ id: reply.id, agent: reply.agent_name, body: reply.body, at: reply.created_at });

export async function openTicket(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const { ticket, acknowledgement } = await ticketService.open(req.body ?? {});
    res.status(201).json({ ticket: present(ticket), acknowledged: Boolean(acknowledgement) });
  } catch (err) {
    next(err);
  }
}

export async function listTickets(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const status = typeof req.query.status === 'string' ? req.query.status : undefined;
    const tickets = await ticketService.list(status);
    res.json({ tickets: tickets.map(present) });
  } catch (err) {
    next(err);
  }
}

export async function showTicket(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const { ticket, customer, replies } = await ticketService.show(Number(req.params.id));
    res.json({ ...present(ticket), body: ticket.body, customer: { ...present(ticket).customer, ...customer }, replies: replies.map(presentReply) });
  } catch (err) {
    next(err);
  }
}

export async function claimNext(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const ticket = await ticketService.claimNext(req.agent!.agentId);
    res.json(present(ticket));
  } catch (err) {
    next(err);
  }
}

export async function replyToTicket(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const { reply, thread } = await ticketService.reply(Number(req.params.id), req.agent!.agentId, req.body?.body);
    res.status(201).json({ reply: presentReply(reply), thread: thread.map(presentReply) });
  } catch (err) {
    next(err);
  }
}

export async function changeStatus(req: Request, res: Response, next: NextFunction): Promise<void> {
  try {
    const ticket = await ticketService.setStatus(Number(req.params.id), String(req.body?.status ?? ''));
    res.json(present(ticket));
  } catch (err) {
    next(err);
  }
}
