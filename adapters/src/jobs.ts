// The jobs registry the worker reads. In a project, Stateless writes this file (one entry per moved
// call); this one is the adapters' own test registry and is not copied.
export async function echo(text: string, at: Date, payload: Buffer): Promise<string> {
  return `${text} ${at.toISOString()} ${payload.length}`;
}

/** A job without arguments, as schedules run them (scheduler.ts). */
export async function tick(): Promise<string> {
  return 'tick';
}

export const jobs = {
  echo,
  tick,
};
