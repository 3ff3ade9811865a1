// Stand-in for the Docker Engine API on a unix socket, for tests of Get-OpsHealth's docker services.
// Speaks the real endpoint: GET /v{version}/containers/{name}/json -> the ContainerInspect JSON
// (State.Status, State.Running, State.Health.Status, RestartCount), 404 {"message":"No such container: x"}.
//   node docker-engine-stub.mjs <socket-path> <containers.json>
// containers.json: {"web": {"Status":"running","Health":"healthy"}, "worker": {"Status":"exited","ExitCode":137}, ...}
// It appends every request line to <socket-path>.log.
import http from 'node:http';
import fs from 'node:fs';

const [socketPath, fixtures] = process.argv.slice(2);
const containers = JSON.parse(fs.readFileSync(fixtures, 'utf8'));
try { fs.unlinkSync(socketPath); } catch { /* not there */ }

const server = http.createServer((req, res) => {
  fs.appendFileSync(`${socketPath}.log`, `${req.method} ${req.url} ${req.headers.host ?? ''}\n`);
  const m = /^\/v[\d.]+\/containers\/([^/]+)\/json$/.exec(req.url.split('?')[0]);
  const send = (status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'api-version': '1.43', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  if (req.method !== 'GET' || !m) return send(404, { message: 'page not found' });
  const name = decodeURIComponent(m[1]);
  const c = containers[name];
  if (!c) return send(404, { message: `No such container: ${name}` });
  const state = {
    Status: c.Status, Running: c.Status === 'running', Paused: c.Status === 'paused', Restarting: c.Status === 'restarting',
    OOMKilled: false, Dead: c.Status === 'dead', Pid: c.Status === 'running' ? 4242 : 0, ExitCode: c.ExitCode ?? 0, Error: '',
    StartedAt: '2026-11-29T06:00:00.000000000Z', FinishedAt: '0001-01-01T00:00:00Z',
  };
  if (c.Health) state.Health = { Status: c.Health, FailingStreak: c.Health === 'unhealthy' ? 3 : 0, Log: [] };
  return send(200, { Id: `${name}0123456789abcdef`, Name: `/${name}`, RestartCount: c.RestartCount ?? 0, State: state, Config: { Image: `${name}:latest` } });
});
server.listen(socketPath, () => console.log(`docker-engine-stub listening on ${socketPath}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { server.close(); process.exit(0); });
