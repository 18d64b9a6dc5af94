// Ticket types and what they cost against the full price. Changed by hand once a season.
export const TICKET_TYPES = Object.freeze({
  adult: { label: 'Adult', percent: 100 },
  concession: { label: 'Student / senior', percent: 75 },
  child: { label: 'Under 16', percent: 50 },
});

export function ticketPrice(show, type) {
  return Math.round((show.priceCents * TICKET_TYPES[type].percent) / 100);
}
