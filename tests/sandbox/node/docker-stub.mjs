// A stand-in for the Docker Engine API on a unix socket (no Docker daemon here). It answers the calls
// Clear-DiskEmergency makes (GET /system/df, POST .../prune) with the Engine API's JSON shapes, and logs
// each request line to a file so tests can check what was called.
// Usage: node docker-stub.mjs SOCKET_PATH LOG_FILE
import http from 'node:http';
import fs from 'node:fs';

const [sock, log] = process.argv.slice(2);
try { fs.unlinkSync(sock); } catch { /* not there */ }
const server = http.createServer((req, res) => {
  fs.appendFileSync(log, `${req.method} ${req.url}\n`);
  const send = (code, body) => { res.writeHead(code, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(body)); };
  const path = req.url.replace(/^\/v[\d.]+/, '').split('?')[0];
  if (req.method === 'GET' && path === '/system/df') {
    return send(200, {
      LayersSize: 812000,
      Images: [{ Id: 'sha256:unused', Size: 300000, Containers: 0 }, { Id: 'sha256:used', Size: 500000, Containers: 1 }],
      Containers: [{ Id: 'c-exited', SizeRw: 2000, State: 'exited' }, { Id: 'c-running', SizeRw: 4000, State: 'running' }],
      Volumes: [{ Name: 'anon', UsageData: { Size: 7000, RefCount: 0 } }, { Name: 'data', UsageData: { Size: 9000, RefCount: 1 } }],
      BuildCache: [{ ID: 'cache1', Size: 11000, InUse: false }],
    });
  }
  if (req.method === 'POST') {
    switch (path) {
      case '/containers/prune': return send(200, { ContainersDeleted: ['c-exited'], SpaceReclaimed: 2000 });
      case '/images/prune': return send(200, { ImagesDeleted: [{ Deleted: 'sha256:unused' }], SpaceReclaimed: 300000 });
      case '/networks/prune': return send(200, { NetworksDeleted: ['old-net'] });
      case '/volumes/prune': return send(200, { VolumesDeleted: ['anon'], SpaceReclaimed: 7000 });
      case '/build/prune': return send(200, { CachesDeleted: ['cache1'], SpaceReclaimed: 11000 });
    }
  }
  send(404, { message: `page not found: ${req.method} ${req.url}` });
});
server.listen(sock, () => console.log('ready'));
