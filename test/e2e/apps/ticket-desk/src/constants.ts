// Priorities as the customer picks them, and the order agents see them in.
export const PRIORITIES = {
  low: { label: 'Low', rank: 3, answerWithinHours: 72 },
  normal: { label: 'Normal', rank: 2, answerWithinHours: 24 },
  urgent: { label: 'Urgent', rank: 1, answerWithinHours: 4 },
} as const;

export type Priority = keyof typeof PRIORITIES;

export const TICKET_STATUSES = ['open', 'pending', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const ALLOWED_ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'application/pdf', 'text/plain'];

export const DEFAULT_SETTINGS: Record<string, string> = {
  greeting: 'Thanks for contacting us!',
  business_hours: 'Mon-Fri 9:00-17:00',
};
