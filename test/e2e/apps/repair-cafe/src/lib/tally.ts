// The day's tally on the board by the door: tickets handed out and repairs done since midnight.
let nextTicket = 1;
let repairedToday = 0;

export function takeTicket(): number {
  return nextTicket++;
}

export function countRepair(): void {
  repairedToday += 1;
}

export function tally(): { ticketsToday: number; repairedToday: number } {
  return { ticketsToday: nextTicket - 1, repairedToday };
}

export function resetDay(): void {
  nextTicket = 1;
  repairedToday = 0;
}
