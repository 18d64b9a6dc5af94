// Kill one instance while a bounded loop of requests runs, and count what was acknowledged.
import type { Reply } from './client';

export interface KillMidRunOptions {
  /** How many requests in all (the loop is bounded). */
  requests: number;
  /** The kill is fired once this many requests have been sent; it does not wait for them. */
  killAfter: number;
  /** Requests in flight at once, so some are in flight at the kill. */
  concurrency?: number;
  send(index: number): Promise<Reply>;
  kill(): Promise<void>;
  /** Whether an answer counts as acknowledged; default any 2xx. */
  acknowledged?(reply: Reply): boolean;
}

export interface KillMidRunResult {
  requests: number;
  killAfter: number;
  acknowledged: number;
  failed: number;
  /** Failed requests by status, or by error for requests that got no answer. */
  failures: Record<string, number>;
  /** Indexes of the acknowledged requests (for checks that need to know which ones survived). */
  acknowledgedIndexes: number[];
}

export async function runWhileKilling(options: KillMidRunOptions): Promise<KillMidRunResult> {
  const { requests, killAfter, concurrency = 4, send } = options;
  const isAcknowledged = options.acknowledged ?? ((reply: Reply) => reply.status >= 200 && reply.status < 300);
  const result: KillMidRunResult = { requests, killAfter, acknowledged: 0, failed: 0, failures: {}, acknowledgedIndexes: [] };
  let next = 0;
  let killing: Promise<void> | undefined;

  const worker = async () => {
    while (next < requests) {
      const index = next++;
      if (index === killAfter) killing = options.kill();
      const reply = await send(index);
      if (isAcknowledged(reply)) {
        result.acknowledged++;
        result.acknowledgedIndexes.push(index);
      } else {
        result.failed++;
        const key = reply.status === 0 ? `error: ${reply.error ?? 'unknown'}` : String(reply.status);
        result.failures[key] = (result.failures[key] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  await killing;
  result.acknowledgedIndexes.sort((a, b) => a - b);
  return result;
}
