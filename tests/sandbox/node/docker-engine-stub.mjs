// Stand-in for the Docker Engine API on a unix socket (no Docker daemon here), speaking the real endpoints
// with the Engine API's JSON shapes:
//   GET  /v{version}/containers/{name}/json -> ContainerInspect (State.Status, State.Running, State.Health.Status,
//        RestartCount), or 404 {"message":"No such container: x"}       (Get-OpsHealth's docker services)
//   GET  /v{version}/system/df, POST /v{version}/{containers,images,networks,volumes,build}/prune
//                                                                        (Clear-DiskEmergency's docker step)
//   POST /v{version}/containers/{name}/restart -> 204, the container takes its "AfterRestart" state (default running);
//        with "RecoverAfterMs" its health is "starting" for that long, then "healthy"      (Restart-OpsService)
//   POST /v{version}/containers/{name}/stop|start -> 204, or 304 when already so; 500 when "Fail" names the verb
//                                                                        (maintenance windows' workers)
//   GET  /v{version}/containers/{name}/logs?stdout&stderr&timestamps&tail&since -> the fixture's "Logs"
//        ([{"Stream":"stdout"|"stderr","Time":"RFC 3339","Text":"..."}]) as the multiplexed stream
//        (8-byte frame headers), or raw when "Tty" is true                                  (Get-OpsServiceLog)
//   GET  /v{version}/containers/json?all=1&filters={"label":["k=v",...]} -> [ContainerSummary] (Id, Names, Image, Labels, State,
//        Status with "(healthy)"/"(health: starting)"), only running ones without all=1          (Get-/Set-OpsWorkerScale)
//   POST /v{version}/containers/create?name=x {Image, Labels, HostConfig, NetworkingConfig, Healthcheck...} -> 201 {Id, Warnings},
//        409 when the name is taken; the body is appended to <socket-path>.create.jsonl. A new container with a Healthcheck
//        is "starting" when started, then after "NewHealthyAfterMs" (default 300) takes "NewHealth" (default healthy)
//   DELETE /v{version}/containers/{id or name} -> 204; 409 while running (no force)
// A fixture's "Labels", "Env", "Cmd", "Healthcheck", "Networks" ({name: {Aliases}}) and "HostConfig" show in its inspect.
// Usage: node docker-engine-stub.mjs <socket-path> [containers.json]
// containers.json: {"web": {"Status":"running","Health":"healthy"}, "worker": {"Status":"exited","ExitCode":137}, ...}
// Every request is appended to <socket-path>.log as "METHOD URL HOST"; "ready" is printed once it listens.
import http from 'node:http';
import fs from 'node:fs';

const [socketPath, fixtures] = process.argv.slice(2);
const containers = fixtures ? JSON.parse(fs.readFileSync(fixtures, 'utf8')) : {};
// Options for new containers live under the "_new" key of the fixtures: {"NewHealth": "unhealthy", "NewHealthyAfterMs": 300}.
const newOptions = containers._new ?? {};
delete containers._new;
const idOf = (name) => containers[name]?.Id ?? `${name}0123456789abcdef`;
const find = (key) => (containers[key] ? key : Object.keys(containers).find((n) => idOf(n) === key));
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
  const config = { Image: c.Image ?? `${name}:latest`, Tty: !!c.Tty, Hostname: idOf(name).slice(0, 12), Labels: c.Labels ?? {}, Env: c.Env ?? [], Cmd: c.Cmd ?? null };
  if (c.Healthcheck) config.Healthcheck = c.Healthcheck;
  const networks = Object.fromEntries(Object.entries(c.Networks ?? {}).map(([n, v]) => [n, { Aliases: v.Aliases ?? null, NetworkID: `net-${n}`, IPAddress: '172.18.0.2' }]));
  return {
    Id: idOf(name), Name: `/${name}`, RestartCount: c.RestartCount ?? 0, State: state, Config: config,
    HostConfig: c.HostConfig ?? { RestartPolicy: { Name: 'unless-stopped' }, NetworkMode: Object.keys(c.Networks ?? {})[0] ?? 'default' },
    NetworkSettings: { Networks: networks },
  };
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
    const name = find(decodeURIComponent(container[1]));
    return name ? send(200, inspect(name, containers[name])) : send(404, { message: `No such container: ${decodeURIComponent(container[1])}` });
  }
  const restart = /^\/containers\/([^/]+)\/restart$/.exec(path);
  if (req.method === 'POST' && restart) {
    const c = containers[decodeURIComponent(restart[1])];
    if (!c) return send(404, { message: `No such container: ${decodeURIComponent(restart[1])}` });
    const after = c.AfterRestart ?? { Status: 'running' };
    Object.assign(c, after);
    if (c.RecoverAfterMs) { c.Health = 'starting'; setTimeout(() => { c.Health = 'healthy'; }, c.RecoverAfterMs); }
    res.writeHead(204); return res.end();
  }
  const control = /^\/containers\/([^/]+)\/(stop|start)$/.exec(path);
  if (req.method === 'POST' && control) {
    const c = containers[find(decodeURIComponent(control[1]))];
    if (!c) return send(404, { message: `No such container: ${decodeURIComponent(control[1])}` });
    const want = control[2] === 'stop' ? 'exited' : 'running';
    if (c.Status === want) { res.writeHead(304); return res.end(); }
    if (c.Fail === control[2]) return send(500, { message: `cannot ${control[2]} container: injected failure` });
    c.Status = want;
    if (want === 'running' && c.New && c.Healthcheck) {
      c.Health = 'starting';
      setTimeout(() => { if (c.Status === 'running') c.Health = newOptions.NewHealth ?? 'healthy'; }, newOptions.NewHealthyAfterMs ?? 300);
    }
    res.writeHead(204); return res.end();
  }
  if (req.method === 'GET' && path === '/containers/json') {
    const q = new URL(req.url, 'http://x').searchParams;
    const filters = q.get('filters') ? JSON.parse(q.get('filters')) : {};
    const wanted = (filters.label ?? []).map((l) => l.split('='));
    const list = Object.entries(containers)
      .filter(([, c]) => q.get('all') === '1' || q.get('all') === 'true' || c.Status === 'running')
      .filter(([, c]) => wanted.every(([k, v]) => (c.Labels ?? {})[k] === v))
      .map(([n, c]) => ({
        Id: idOf(n), Names: [`/${n}`], Image: c.Image ?? `${n}:latest`, Labels: c.Labels ?? {}, State: c.Status, Created: 1764600000,
        Status: c.Status === 'running' ? `Up 5 minutes${c.Health === 'healthy' ? ' (healthy)' : c.Health === 'starting' ? ' (health: starting)' : c.Health === 'unhealthy' ? ' (unhealthy)' : ''}` : `Exited (${c.ExitCode ?? 0}) 1 minute ago`,
      }));
    return send(200, list);
  }
  if (req.method === 'POST' && path === '/containers/create') {
    const name = new URL(req.url, 'http://x').searchParams.get('name');
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      fs.appendFileSync(`${socketPath}.create.jsonl`, `${JSON.stringify({ name, body })}\n`);
      if (!name || containers[name]) return send(409, { message: `Conflict. The container name "/${name}" is already in use` });
      if (!body.Image) return send(400, { message: 'No command specified' });
      containers[name] = {
        Id: `${name.replace(/[^a-z0-9]/g, '')}fedcba9876543210`, Status: 'created', New: true, Image: body.Image, Labels: body.Labels ?? {}, Env: body.Env,
        Cmd: body.Cmd, Healthcheck: body.Healthcheck, HostConfig: body.HostConfig,
        Networks: Object.fromEntries(Object.entries(body.NetworkingConfig?.EndpointsConfig ?? {}).map(([n, v]) => [n, { Aliases: v?.Aliases }])),
      };
      return send(201, { Id: containers[name].Id, Warnings: [] });
    });
    return undefined;
  }
  const removal = /^\/containers\/([^/]+)$/.exec(path);
  if (req.method === 'DELETE' && removal) {
    const name = find(decodeURIComponent(removal[1]));
    if (!name) return send(404, { message: `No such container: ${decodeURIComponent(removal[1])}` });
    if (containers[name].Status === 'running' && new URL(req.url, 'http://x').searchParams.get('force') !== 'true') {
      return send(409, { message: `You cannot remove a running container ${idOf(name)}. Stop the container before attempting removal or force remove` });
    }
    delete containers[name];
    res.writeHead(204); return res.end();
  }
  const logs = /^\/containers\/([^/]+)\/logs$/.exec(path);
  if (req.method === 'GET' && logs) {
    const c = containers[decodeURIComponent(logs[1])];
    if (!c) return send(404, { message: `No such container: ${decodeURIComponent(logs[1])}` });
    const q = new URL(req.url, 'http://x').searchParams;
    let lines = (c.Logs ?? []).filter((l) => (l.Stream === 'stderr' ? q.get('stderr') === '1' : q.get('stdout') === '1'));
    if (q.get('since')) lines = lines.filter((l) => Date.parse(l.Time) / 1000 >= Number(q.get('since')));
    if (q.get('tail') && q.get('tail') !== 'all') lines = lines.slice(-Number(q.get('tail')));
    const chunks = lines.map((l) => {
      const payload = Buffer.from(`${q.get('timestamps') === '1' ? `${l.Time} ` : ''}${l.Text}\n`);
      if (c.Tty) return payload;
      const header = Buffer.alloc(8);
      header[0] = l.Stream === 'stderr' ? 2 : 1;
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    });
    res.writeHead(200, { 'content-type': c.Tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream' });
    return res.end(Buffer.concat(chunks));
  }
  if (req.method === 'GET' && path === '/system/df') return send(200, systemDf);
  if (req.method === 'POST' && prunes[path]) return send(200, prunes[path]);
  return send(404, { message: `page not found: ${req.method} ${req.url}` });
});
server.listen(socketPath, () => console.log('ready'));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { server.close(); process.exit(0); });
