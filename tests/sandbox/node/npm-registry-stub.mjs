// Stand-in for the npm registry, for `npm audit`: the public registry's audit endpoint cannot be reached from here (the
// registry this machine may use answers it with 405). Real npm runs against it with --registry.
//   POST /-/npm/v1/security/advisories/bulk  (gzip body {"name": ["version", ...]}) -> the advisories of DIR/advisories.json for
//        the names asked, in the registry's bulk format {"name": [{id, url, title, severity, vulnerable_versions, cwe, cvss}]}
//   GET  /<name>  -> DIR/<name>.json: packuments saved from registry.npmjs.org (trimmed to name, dist-tags and the versions'
//        name, version, dependencies, dist), which npm reads to work out the vulnerable ranges and the fixes.
// Test controls: MODE=hang accepts connections and never answers; MODE=error answers every request with 503.
//   GET /_calls -> the bulk requests seen (their decoded bodies).
// Usage: PORT=... DIR=tests/pester/fixtures/npm-audit/registry [MODE=hang|error] node npm-registry-stub.mjs
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const port = Number(process.env.PORT ?? 8024);
const dir = process.env.DIR ?? '.';
const mode = process.env.MODE ?? 'serve';
const advisories = JSON.parse(fs.readFileSync(path.join(dir, 'advisories.json'), 'utf8'));
const calls = [];

const server = http.createServer((req, res) => {
  if (mode === 'hang') return; // Accept, read nothing back, answer never.
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const send = (status, body) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/_calls') return send(200, calls);
    if (mode === 'error') return send(503, { error: 'Service Unavailable' });
    if (req.method === 'POST' && url.pathname === '/-/npm/v1/security/advisories/bulk') {
      let body = Buffer.concat(chunks);
      if ((req.headers['content-encoding'] ?? '') === 'gzip') body = zlib.gunzipSync(body);
      const asked = JSON.parse(body.toString() || '{}');
      calls.push(asked);
      const out = {};
      for (const name of Object.keys(asked)) if (advisories[name]) out[name] = advisories[name];
      return send(200, out);
    }
    const name = decodeURIComponent(url.pathname.slice(1));
    const file = path.join(dir, name.replace('/', '__') + '.json');
    if (req.method === 'GET' && !name.includes('..') && name !== 'advisories' && fs.existsSync(file)) return send(200, fs.readFileSync(file, 'utf8'));
    return send(404, { error: 'Not found' });
  });
});
server.listen(port, '127.0.0.1');
