// Stand-in for S3's GetBucketLogging (GET /{bucket}?logging), which s3rver 3.7.1 does not implement (it answers the request
// with a listing of the bucket, which AWSSDK.S3 reads as "logging off"),
// in front of s3rver: every other request is passed through to UPSTREAM unchanged, so the Backup family's listing works.
//   GET /{bucket}?logging -> 200 <BucketLoggingStatus> (with <LoggingEnabled><TargetBucket/><TargetPrefix/></LoggingEnabled> when on),
//                            404 NoSuchBucket for a bucket not in the state, 403 when the request is not SigV4-signed.
// Test controls: POST /_control {"buckets": {"backups": {"TargetBucket": "logs", "TargetPrefix": "s3/backups/"}, "other": null,
// "legacy": "NotImplemented"}} (null: logging off; "NotImplemented": 501 as a store without the call answers),
// GET /_calls (the logging requests seen), POST /_reset.
// Usage: PORT=... UPSTREAM=http://127.0.0.1:<s3rver port> node s3-logging-stub.mjs
import http from 'node:http';

const port = Number(process.env.PORT ?? 8023);
const upstream = new URL(process.env.UPSTREAM ?? 'http://127.0.0.1:4568');
let state;
const reset = () => { state = { buckets: { backups: null }, calls: [] }; };
reset();

const xml = (status, body) => [status, `<?xml version="1.0" encoding="UTF-8"?>\n${body}`];
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const local = (status, body, type = 'application/xml') => { res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }); res.end(body); };
  if (url.pathname === '/_reset' && req.method === 'POST') { reset(); return local(200, '{"ok":true}', 'application/json'); }
  if (url.pathname === '/_calls') return local(200, JSON.stringify(state.calls), 'application/json');
  if (url.pathname === '/_control' && req.method === 'POST') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { Object.assign(state.buckets, JSON.parse(Buffer.concat(chunks).toString() || '{}').buckets ?? {}); local(200, '{"ok":true}', 'application/json'); });
    return undefined;
  }
  const bucket = decodeURIComponent(url.pathname.split('/')[1] ?? '');
  if (req.method === 'GET' && url.searchParams.has('logging') && url.pathname.split('/').filter(Boolean).length === 1) {
    const auth = req.headers.authorization ?? '';
    state.calls.push({ bucket, signed: auth.startsWith('AWS4-HMAC-SHA256 Credential=') });
    if (!auth.startsWith('AWS4-HMAC-SHA256 Credential=')) {
      return local(...xml(403, '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>'));
    }
    if (state.buckets[bucket] === 'NotImplemented') {
      return local(...xml(501, '<Error><Code>NotImplemented</Code><Message>A header you provided implies functionality that is not implemented</Message></Error>'));
    }
    if (!(bucket in state.buckets)) {
      return local(...xml(404, `<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><BucketName>${bucket}</BucketName></Error>`));
    }
    const on = state.buckets[bucket];
    const inner = on ? `<LoggingEnabled><TargetBucket>${on.TargetBucket}</TargetBucket><TargetPrefix>${on.TargetPrefix ?? ''}</TargetPrefix></LoggingEnabled>` : '';
    return local(...xml(200, `<BucketLoggingStatus xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${inner}</BucketLoggingStatus>`));
  }
  // Everything else: to s3rver as it came.
  const proxied = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: `${upstream.hostname}:${upstream.port}` } }, (up) => {
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  proxied.on('error', (e) => { if (!res.headersSent) local(502, `<Error><Code>BadGateway</Code><Message>${e.message}</Message></Error>`); else res.destroy(); });
  req.pipe(proxied);
  return undefined;
});
server.listen(port, '127.0.0.1', () => console.log('ready'));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { server.close(); process.exit(0); });
