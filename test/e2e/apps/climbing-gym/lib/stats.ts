// Today's check-ins at the front desk, reset at midnight by the job in lib/jobs.ts.
const globalForStats = globalThis as unknown as { gymStats?: { checkinsToday: number; day: string } };

export const gymStats = globalForStats.gymStats ?? (globalForStats.gymStats = { checkinsToday: 0, day: new Date().toISOString().slice(0, 10) });

export function recordCheckin(): number {
  gymStats.checkinsToday += 1;
  return gymStats.checkinsToday;
}
