// Stand-in for the Docker Engine API on a unix socket (no Docker daemon here), speaking the real endpoints
// with the Engine API's JSON shapes:
//   GET  /v{version}/containers/{name}/json -> ContainerInspect (State.Status, State.Running, State.Health.Status,
//        RestartCount), or 404 {"message":"No such container: x"}       (Get-OpsHealth's docker services)
//   GET  /v{version}/system/df, POST /v{version}/{containers,images,networks,volumes,build}/prune
//                                                                        (Clear-DiskEmergency's docker step)
// Usage: node docker-engine-stub.mjs <socket-path> [containers.json]
// containers.json: {"web": {"Status":"running","Health":"healthy"}, "worker": {"Status":"exited","ExitCode":137}, ...}
// Every request is appended to <socket-path>.log as "METHOD URL HOST"; "ready" is printed once it listens.
import http from 'node:http';
import fs from 'node:fs';

const [socketPath, fixtures] = process.argv.slice(2);
const containers = fixtures ? JSON.parse(fs.readFileSync(fixtures, 'utf8')) : {};
try { fs.unlinkSync(socketPath); } catch { /* not there */ }

const systemDf = {
  LayersSize: 812000,
  Images: [{ Id: 'sha256:unused', Size: 300000, Containers: 0 }, { Id: 'sha256:used', Size: 500000, Containers: 1 }],
  Containers: [{ Id: 'c-exited', SizeRw: 2000, State: 'exited' }, { Id: 'c-running', SizeRw: 4000, State: 'running' }],
  Volumes: [{ Name: 'anon', UsageData: { Size: 7000, RefCount: 0 } }, { Name: 'data', UsageData: { Size: 9000, RefCount: 1 } }],
  BuildCache: [{ ID: 'cache1', Size: 11000, InUse: false }],
};
const prunes = {
  '/containers/prune': { ContainersDeleted: ['c-exited'], SpaceReclaimed: 2000 },
  '/images/prune': { ImagesDeleted: [{ Deleted: 'sha256:unused' }], SpaceReclaimed: 300000 },
  '/networks/prune': { NetworksDeleted: ['old-net'] },
  '/volumes/prune': { VolumesDeleted: ['anon'], SpaceReclaimed: 7000 },
  '/build/prune': { CachesDeleted: ['cache1'], SpaceReclaimed: 11000 },
};

function inspect(name, c) {
  const state = {
    Status: c.Status, Running: c.Status === 'running', Paused: c.Status === 'paused', Restarting: c.Status === 'restarting',
    OOMKilled: false, Dead: c.Status === 'dead', Pid: c.Status === 'running' ? 4242 : 0, ExitCode: c.ExitCode ?? 0, Error: '',
    StartedAt: '2026-11-29T06:00:00.000000000Z', FinishedAt: '0001-01-01T00:00:00Z',
  };
  if (c.Health) state.Health = { Status: c.Health, FailingStreak: c.Health === 'unhealthy' ? 3 : 0, Log: [] };
  return { Id: `${name}0123456789abcdef`, Name: `/${name}`, RestartCount: c.RestartCount ?? 0, State: state, Config: { Image: `${name}:latest` } };
}

const server = http.createServer((req, res) => {
  fs.appendFileSync(`${socketPath}.log`, `${req.method} ${req.url} ${req.headers.host ?? ''}\n`);
  const send = (status, body) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'api-version': '1.43', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const path = req.url.split('?')[0].replace(/^\/v[\d.]+/, '');
  const container = /^\/containers\/([^/]+)\/json$/.exec(path);
  if (req.method === 'GET' && container) {
    const name = decodeURIComponent(container[1]);
    return containers[name] ? send(200, inspect(name, containers[name])) : send(404, { message: `No such container: ${name}` });
  }
  if (req.method === 'GET' && path === '/system/df') return send(200, systemDf);
  if (req.method === 'POST' && prunes[path]) return send(200, prunes[path]);
  return send(404, { message: `page not found: ${req.method} ${req.url}` });
});
server.listen(socketPath, () => console.log('ready'));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { server.close(); process.exit(0); });
