import { Queue, Worker } from 'bullmq';
import { db } from '../lib/db';
import { sendMail } from '../lib/mailer';
import { redis, redisKey } from '../lib/redis';

export interface WelcomeJob {
  customerId: number;
  email: string;
  name: string;
}

const QUEUE = 'welcome-mail';

export const welcomeQueue = new Queue<WelcomeJob>(QUEUE, { connection: redis, prefix: redisKey('bull') });

export function startWelcomeWorker(): Worker<WelcomeJob> {
  const worker = new Worker<WelcomeJob>(
    QUEUE,
    async (job) => {
      await sendMail(job.data.email, 'Welcome to Second Spin', `Hi ${job.data.name}, your account is ready. Happy digging!`);
      await db.query('UPDATE customers SET welcomed_at = now() WHERE id = $1', [job.data.customerId]);
    },
    { connection: redis, prefix: redisKey('bull') },
  );
  worker.on('failed', (job, err) => console.error(`welcome mail ${job?.id} failed:`, err.message));
  return worker;
}
