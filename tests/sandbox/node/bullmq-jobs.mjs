// Creates real BullMQ jobs (with the real bullmq package) in a Redis, for tests of the Queue health check.
//   node bullmq-jobs.mjs fill <prefix> <queue> <waiting> <delayed> <failed> <prioritized>
//   node bullmq-jobs.mjs counts <prefix> <queue>        prints getJobCounts() as JSON
//   node bullmq-jobs.mjs work <prefix> <queue> <count> <timeoutMs>
//        a real Worker whose processor succeeds completes <count> jobs; prints [{"id","name","attemptsMade"}] of the
//        completed jobs, or exits 1 when they are not all done within timeoutMs
//   node bullmq-jobs.mjs obliterate <prefix> <queue>
//   node bullmq-jobs.mjs clean <prefix> <queue> <failed|completed|wait>   removes the jobs in that state (queue.clean)
//   node bullmq-jobs.mjs sla <prefix> <queue> <fast> <slow> <slowDelayMs> <failed>
//        runs jobs with a real Worker: fast ones at once, slow ones added with a delay (finishedOn - timestamp >= delay),
//        failed ones whose processor throws; once all finished prints [{"name","failed","ms"}] (finishedOn - timestamp, from bullmq's Job)
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
  } else if (cmd === 'sla') {
    const [fast, slow, delay, failed] = n.map(Number);
    const total = fast + slow + failed;
    let done = 0;
    const finished = new Promise((resolve) => {
      const worker = new Worker(name, async (job) => { if (job.name === 'boom') throw new Error('boom'); return 'ok'; },
        { connection, prefix, concurrency: 8, autorun: true });
      const tick = async () => { if (++done === total) { await worker.close(); resolve(); } };
      worker.on('completed', tick);
      worker.on('failed', tick);
    });
    const bulk = [];
    for (let i = 0; i < fast; i++) bulk.push({ name: 'fast', data: { i } });
    for (let i = 0; i < slow; i++) bulk.push({ name: 'slow', data: { i }, opts: { delay } });
    for (let i = 0; i < failed; i++) bulk.push({ name: 'boom', data: { i }, opts: { attempts: 1 } });
    await queue.addBulk(bulk);
    await finished;
    const jobs = [...await queue.getJobs(['completed'], 0, -1), ...await queue.getJobs(['failed'], 0, -1)];
    console.log(JSON.stringify(jobs.map((j) => ({ name: j.name, failed: !!j.failedReason, ms: j.finishedOn - j.timestamp }))));
  } else if (cmd === 'work') {
    const [count, timeoutMs] = n.map(Number);
    const done = [];
    const worker = new Worker(name, async () => 'ok', { connection, prefix, concurrency: 4, autorun: true });
    const all = new Promise((resolve) => worker.on('completed', (job) => { done.push({ id: job.id, name: job.name, attemptsMade: job.attemptsMade }); if (done.length >= count) resolve(true); }));
    const ok = await Promise.race([all, new Promise((resolve) => setTimeout(() => resolve(false), timeoutMs))]);
    await worker.close();
    console.log(JSON.stringify(done));
    if (!ok) process.exitCode = 1;
  } else if (cmd === 'counts') {
    console.log(JSON.stringify(await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized', 'paused')));
  } else if (cmd === 'clean') {
    await queue.clean(0, 100000, n[0]);
  } else if (cmd === 'obliterate') {
    await queue.obliterate({ force: true });
  } else {
    throw new Error(`unknown command ${cmd}`);
  }
} finally {
  await queue.close();
}
