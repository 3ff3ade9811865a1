// Stand-in for the platform's API: the endpoints the runbook calls, answered from the real BullMQ
// queues in the sandbox's Redis. Started by tests/sandbox/Sandbox.psm1.
//   GET  /api/health               200 {"status":"ok"}; 503 while the file $HEALTH_FLAG exists
//   GET  /api/admin/queues/stats   {"<queue>": {"waiting":n,"active":n,"delayed":n,"failed":n,"completed":n,"paused":n,"prioritized":n}, ...}
//   GET  /api/admin/queues/failed  {"<queue>": [{"id","name","failedReason","attemptsMade","timestamp"}], ...}
//   POST /api/auth/test            200 {"ok":true}
import http from 'node:http';
import fs from 'node:fs';
import { Queue } from 'bullmq';

const port = Number(process.env.PORT ?? 3000);
const connection = {
  host: process.env.REDIS_HOST ?? '127.0.0.1',
  port: Number(process.env.REDIS_PORT ?? 6379),
  password: process.env.REDIS_PASSWORD || undefined,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
};
const prefix = process.env.QUEUE_PREFIX ?? 'bull';
const names = (process.env.QUEUE_NAMES ?? 'media-processing,embeddings').split(',').filter(Boolean);
const healthFlag = process.env.HEALTH_FLAG ?? '';
const queues = Object.fromEntries(names.map((n) => [n, new Queue(n, { connection, prefix })]));

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/api/health') {
      if (healthFlag && fs.existsSync(healthFlag)) return send(res, 503, { status: 'unhealthy' });
      return send(res, 200, { status: 'ok', uptime: process.uptime() });
    }
    if (req.method === 'GET' && url.pathname === '/api/admin/queues/stats') {
      const out = {};
      for (const [name, q] of Object.entries(queues)) {
        out[name] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'paused', 'prioritized');
      }
      return send(res, 200, out);
    }
    if (req.method === 'GET' && url.pathname === '/api/admin/queues/failed') {
      const out = {};
      for (const [name, q] of Object.entries(queues)) {
        const jobs = await q.getFailed(0, 99);
        out[name] = jobs.map((j) => ({ id: j.id, name: j.name, failedReason: j.failedReason, attemptsMade: j.attemptsMade, timestamp: j.timestamp }));
      }
      return send(res, 200, out);
    }
    if (req.method === 'POST' && url.pathname === '/api/auth/test') return send(res, 200, { ok: true });
    return send(res, 404, { error: 'not found' });
  } catch (e) {
    return send(res, 500, { error: String(e?.message ?? e) });
  }
});

server.listen(port, '127.0.0.1', () => console.log(`api-stub listening on 127.0.0.1:${port}`));
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, async () => {
    server.close();
    await Promise.allSettled(Object.values(queues).map((q) => q.close()));
    process.exit(0);
  });
}
