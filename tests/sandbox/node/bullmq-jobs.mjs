// Creates real BullMQ jobs (with the real bullmq package) in a Redis, for tests of the Queue health check.
//   node bullmq-jobs.mjs fill <prefix> <queue> <waiting> <delayed> <failed> <prioritized>
//   node bullmq-jobs.mjs counts <prefix> <queue>        prints getJobCounts() as JSON
//   node bullmq-jobs.mjs obliterate <prefix> <queue>
// Redis from REDIS_HOST, REDIS_PORT, REDIS_PASSWORD. Use a prefix of your own: the shared sandbox stays untouched.
import { Queue, Worker } from 'bullmq';

const [cmd, prefix, name, ...n] = process.argv.slice(2);
const connection = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379), password: process.env.REDIS_PASSWORD || undefined };
const queue = new Queue(name, { connection, prefix });

try {
  if (cmd === 'fill') {
    const [waiting, delayed, failed, prioritized] = n.map(Number);
    if (failed > 0) {
      // Failed jobs: added and run by a real worker whose processor throws.
      await queue.addBulk(Array.from({ length: failed }, (_, i) => ({ name: 'boom', data: { i }, opts: { attempts: 1 } })));
      let done = 0;
      const finished = new Promise((resolve) => {
        const worker = new Worker(name, async () => { throw new Error('timeout after 30000ms'); }, { connection, prefix, concurrency: 4, autorun: true });
        worker.on('failed', async () => { if (++done === failed) { await worker.close(); resolve(); } });
      });
      await finished;
    }
    const bulk = [];
    for (let i = 0; i < waiting; i++) bulk.push({ name: 'media', data: { i } });
    for (let i = 0; i < delayed; i++) bulk.push({ name: 'later', data: { i }, opts: { delay: 3_600_000 } });
    for (let i = 0; i < prioritized; i++) bulk.push({ name: 'urgent', data: { i }, opts: { priority: 1 + (i % 5) } });
    for (let i = 0; i < bulk.length; i += 500) await queue.addBulk(bulk.slice(i, i + 500));
  } else if (cmd === 'counts') {
    console.log(JSON.stringify(await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'paused')));
  } else if (cmd === 'obliterate') {
    await queue.obliterate({ force: true });
  } else {
    throw new Error(`unknown command ${cmd}`);
  }
} finally {
  await queue.close();
}
