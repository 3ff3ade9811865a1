// Stand-ins for the Payments area, started by tests/sandbox/Sandbox.psm1 (one process, four ports):
//   STRIPE_API_PORT        the Stripe API's /v1/events, in Stripe's JSON shapes (copied from the API reference):
//                          GET /v1/events (types[], type with a trailing *, created[gte|gt|lte|lt], delivery_success, limit,
//                          starting_after, ending_before), GET /v1/events/{id}, POST /v1/events/{id}/retry (webhook_endpoint);
//                          401 for a bad key, 404 resource_missing, 429 with Retry-After while told to.
//   WEBHOOK_PORT           the platform's webhook endpoint: verifies every delivery with the official stripe package's
//                          stripe.webhooks.constructEvent(rawBody, header, secret) (300 s tolerance) and records it.
//   COST_EXPLORER_PORT     AWS Cost Explorer's GetCostAndUsage (JSON 1.1 protocol); checks the SigV4 Authorization header with
//                          the aws4 package and pages with NextPageToken.
//   STATUS_PORT            Stripe's Statuspage v2: /api/v2/status.json and /api/v2/summary.json.
// Each server has /_control (POST JSON) and /_calls (GET) for tests; POST /_reset puts it back as started.
import http from 'node:http';
import crypto from 'node:crypto';
import Stripe from 'stripe';
import aws4 from 'aws4';

const env = process.env;
const apiKey = env.STRIPE_SECRET_KEY ?? 'sk_test_sandbox';
const webhookSecret = env.STRIPE_WEBHOOK_SECRET ?? 'whsec_sandbox';
const awsKey = env.AWS_ACCESS_KEY_ID ?? 'S3RVER';
const awsSecret = env.AWS_SECRET_ACCESS_KEY ?? 'S3RVER';
const apiVersion = env.STRIPE_API_VERSION ?? '2026-10-28.endive';  // Stripe.net 53.1.0's pinned version
const stripe = new Stripe('sk_test_unused_for_verification');

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
async function readJson(req) { const b = await readBody(req); return b.length ? JSON.parse(b.toString('utf8')) : {}; }
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- Stripe API
const now = () => Math.floor(Date.now() / 1000);
let seq = 0;
const rid = (prefix) => prefix + '_' + crypto.createHash('sha256').update(prefix + (++seq)).digest('base64url').replace(/[-_]/g, 'x').slice(0, 24);

function dataObject(type, created) {
  if (type.startsWith('invoice.')) {
    const failed = type === 'invoice.payment_failed';
    return {
      id: rid('in'), object: 'invoice', account_country: 'US', account_name: 'Platform Inc.', amount_due: 1999, amount_paid: failed ? 0 : 1999,
      amount_remaining: failed ? 1999 : 0, attempt_count: failed ? 2 : 1, attempted: true, billing_reason: 'subscription_cycle',
      collection_method: 'charge_automatically', created, currency: 'usd', customer: rid('cus'), customer_email: 'user@example.test',
      hosted_invoice_url: null, livemode: false, next_payment_attempt: failed ? created + 259200 : null, paid: !failed,
      status: failed ? 'open' : 'paid', subscription: rid('sub'), total: 1999,
    };
  }
  if (type.startsWith('charge.')) {
    const failed = type === 'charge.failed';
    return {
      id: rid('ch'), object: 'charge', amount: 1099, amount_captured: failed ? 0 : 1099, amount_refunded: 0, captured: !failed, created,
      currency: 'usd', customer: rid('cus'), failure_code: failed ? 'card_declined' : null, failure_message: failed ? 'Your card was declined.' : null,
      livemode: false, paid: !failed, payment_intent: rid('pi'), status: failed ? 'failed' : 'succeeded',
    };
  }
  if (type.startsWith('customer.subscription.')) {
    return { id: rid('sub'), object: 'subscription', customer: rid('cus'), status: 'active', created, currency: 'usd', livemode: false, cancel_at_period_end: false };
  }
  return { id: rid('pi'), object: 'payment_intent', amount: 2000, currency: 'usd', status: 'succeeded', created, livemode: false, customer: null };
}

function makeEvent(type, secondsAgo, deliveryOk) {
  const created = now() - secondsAgo;
  const ev = {
    id: rid('evt'), object: 'event', api_version: apiVersion, created, data: { object: dataObject(type, created) },
    livemode: false, pending_webhooks: deliveryOk ? 0 : 1, request: { id: rid('req'), idempotency_key: crypto.randomUUID() }, type,
  };
  Object.defineProperty(ev, 'deliveryOk', { value: deliveryOk, enumerable: false, writable: true });
  return ev;
}

function seedEvents() {
  seq = 0;
  const list = [];
  const h = 3600, d = 86400;
  // Failed payments in the last day; four of them never reached the webhook endpoint.
  [[2 * h, false], [5 * h, false], [9 * h, true], [14 * h, false], [20 * h, false], [23 * h, true]].forEach(([ago, ok]) => list.push(makeEvent('invoice.payment_failed', ago, ok)));
  [[3 * h, true], [30 * h, true], [40 * h, false]].forEach(([ago, ok]) => list.push(makeEvent('invoice.payment_succeeded', ago, ok)));
  [[1 * h, true], [6 * h, false], [50 * h, true]].forEach(([ago, ok]) => list.push(makeEvent('charge.succeeded', ago, ok)));
  [[10 * d, false], [12 * d, true]].forEach(([ago, ok]) => list.push(makeEvent('charge.failed', ago, ok)));
  [[4 * h, true], [3 * d, true]].forEach(([ago, ok]) => list.push(makeEvent('customer.subscription.updated', ago, ok)));
  // Enough older events that a full listing takes more than one page of 100.
  for (let i = 0; i < 130; i++) list.push(makeEvent('payment_intent.succeeded', 2 * d + i * 3 * h, true));
  return list.sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : 1));
}

const api = { events: seedEvents(), rateLimit: 0, retryAfter: 1, calls: [], retries: [] };

function stripeError(res, status, error, headers = {}) {
  return send(res, status, { error: { ...error, request_log_url: 'https://dashboard.stripe.com/test/logs/' + rid('req') } }, { 'request-id': rid('req'), ...headers });
}

function matchType(pattern, type) {
  if (pattern.endsWith('*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

const apiServer = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/_reset' && req.method === 'POST') { Object.assign(api, { events: seedEvents(), rateLimit: 0, retryAfter: 1, calls: [], retries: [] }); return send(res, 200, { ok: true }); }
    if (url.pathname === '/_control' && req.method === 'POST') {
      const c = await readJson(req);
      if (c.rateLimit !== undefined) api.rateLimit = c.rateLimit;
      if (c.retryAfter !== undefined) api.retryAfter = c.retryAfter;
      if (c.add) for (const e of c.add) api.events.unshift(makeEvent(e.type, e.secondsAgo ?? 60, e.deliveryOk ?? false));
      if (c.delivered) for (const id of c.delivered) { const e = api.events.find((x) => x.id === id); if (e) { e.deliveryOk = true; e.pending_webhooks = 0; } }
      api.events.sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : 1));
      return send(res, 200, { ok: true });
    }
    if (url.pathname === '/_calls') return send(res, 200, { calls: api.calls, retries: api.retries });
    if (url.pathname === '/_events') return send(res, 200, api.events.map((e) => ({ ...e, deliveryOk: e.deliveryOk })));

    const body = (await readBody(req)).toString('utf8');
    api.calls.push({ method: req.method, path: url.pathname, query: url.search, at: Date.now() });
    if (api.rateLimit > 0) {
      api.rateLimit--;
      return stripeError(res, 429, { code: 'rate_limit', message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.', type: 'invalid_request_error' },
        { 'retry-after': String(api.retryAfter) });
    }
    const auth = req.headers.authorization ?? '';
    const key = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (key !== apiKey) {
      const masked = key.length > 8 ? key.slice(0, 8) + '*'.repeat(Math.max(0, key.length - 12)) + key.slice(-4) : '';
      return stripeError(res, 401, { message: key ? `Invalid API Key provided: ${masked}` : 'You did not provide an API key.', type: 'invalid_request_error' });
    }
    if (req.method === 'GET' && url.pathname === '/v1/events') {
      const q = url.searchParams;
      const types = [...q.entries()].filter(([k]) => /^types\[\d*\]$/.test(k)).map(([, v]) => v);
      const type = q.get('type');
      const limit = Math.min(100, Math.max(1, Number(q.get('limit') ?? 10)));
      const cmp = { gte: (a, b) => a >= b, gt: (a, b) => a > b, lte: (a, b) => a <= b, lt: (a, b) => a < b };
      const created = Object.entries(cmp).map(([op, f]) => [q.get(`created[${op}]`), f]).filter(([v]) => v !== null);
      if (q.get('created') !== null) created.push([q.get('created'), (a, b) => a === b]);
      const ds = q.get('delivery_success');
      let list = api.events.filter((e) =>
        (types.length === 0 || types.includes(e.type)) && (!type || matchType(type, e.type))
        && created.every(([v, f]) => f(e.created, Number(v)))
        && (ds === null || String(e.deliveryOk) === ds));
      const after = q.get('starting_after');
      const before = q.get('ending_before');
      if (after) {
        const i = list.findIndex((e) => e.id === after);
        if (i < 0) return stripeError(res, 400, { message: `No such event: '${after}'`, param: 'starting_after', type: 'invalid_request_error', code: 'resource_missing' });
        list = list.slice(i + 1);
      } else if (before) {
        const i = list.findIndex((e) => e.id === before);
        list = i < 0 ? [] : list.slice(Math.max(0, i - limit), i);
      }
      const page = list.slice(0, limit);
      return send(res, 200, { object: 'list', data: page, has_more: list.length > page.length, url: '/v1/events' }, { 'request-id': rid('req') });
    }
    let m = url.pathname.match(/^\/v1\/events\/([^/]+)(\/retry)?$/);
    if (m) {
      const ev = api.events.find((e) => e.id === decodeURIComponent(m[1]));
      if (!ev) return stripeError(res, 404, { code: 'resource_missing', doc_url: 'https://stripe.com/docs/error-codes/resource-missing', message: `No such event: '${m[1]}'`, param: 'id', type: 'invalid_request_error' });
      if (!m[2] && req.method === 'GET') return send(res, 200, ev, { 'request-id': rid('req') });
      if (m[2] && req.method === 'POST') {
        const form = new URLSearchParams(body);
        const endpoint = form.get('webhook_endpoint');
        if (!endpoint) return stripeError(res, 400, { message: 'Missing required param: webhook_endpoint.', param: 'webhook_endpoint', type: 'invalid_request_error' });
        api.retries.push({ id: ev.id, webhook_endpoint: endpoint, idempotency_key: req.headers['idempotency-key'] ?? null, at: Date.now() });
        return send(res, 200, ev, { 'request-id': rid('req') });
      }
    }
    return stripeError(res, 404, { message: `Unrecognized request URL (${req.method}: ${url.pathname}).`, type: 'invalid_request_error' });
  } catch (e) {
    return send(res, 500, { error: { message: String(e?.message ?? e), type: 'api_error' } });
  }
});

// ---------------------------------------------------------------- webhook receiver
const hook = { mode: 'ok', status: 500, deliveries: [], hung: [] };
const hookServer = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/_reset' && req.method === 'POST') { hook.mode = 'ok'; hook.deliveries = []; for (const r of hook.hung.splice(0)) r.destroy(); return send(res, 200, { ok: true }); }
  if (url.pathname === '/_control' && req.method === 'POST') { const c = await readJson(req); Object.assign(hook, c); return send(res, 200, { ok: true }); }
  if (url.pathname === '/_calls') return send(res, 200, hook.deliveries);
  if (req.method !== 'POST') return send(res, 405, 'Method Not Allowed');
  const raw = await readBody(req);
  const header = req.headers['stripe-signature'] ?? '';
  const record = { at: Date.now(), path: url.pathname, verified: false, id: null, type: null, status: 0, error: null };
  hook.deliveries.push(record);
  let event;
  try {
    // The oracle: Stripe's own verification, on the raw bytes received.
    event = stripe.webhooks.constructEvent(raw, header, webhookSecret);
    Object.assign(record, { verified: true, id: event.id, type: event.type });
  } catch (e) {
    record.error = String(e?.message ?? e);
    try { const j = JSON.parse(raw.toString('utf8')); record.id = j.id ?? null; record.type = j.type ?? null; } catch { /* not JSON */ }
    record.status = 400;
    return send(res, 400, `Webhook Error: ${record.error}`);
  }
  if (hook.mode === 'hang') { record.status = -1; hook.hung.push(res); return; }   // never answers
  if (hook.mode === 'fail') { record.status = hook.status; return send(res, hook.status, { error: 'processWebhook failed: database unavailable' }); }
  record.status = 200;
  return send(res, 200, { received: true });
});

// ---------------------------------------------------------------- Cost Explorer
const ce = { calls: [], pageSize: 3, throttle: 0 };
const services = ['Amazon Simple Storage Service', 'Amazon Elastic Compute Cloud - Compute', 'Amazon Relational Database Service', 'Amazon Rekognition',
  'AmazonCloudWatch', 'Amazon CloudFront', 'AWS Key Management Service', 'Amazon ElastiCache'];
const usageTypes = ['USE1-TimedStorage-ByteHrs', 'USE1-BoxUsage:t3.large', 'USE1-InstanceUsage:db.t3.medium', 'USE1-ImagesProcessed', 'USE1-DataTransfer-Out-Bytes'];
function amountFor(month, key) {
  const h = crypto.createHash('sha256').update(month + key).digest();
  return (h.readUInt32BE(0) % 500000 / 1000 + 0.01).toFixed(10);  // up to ~500 USD, AWS's many decimals
}
function ceError(res, status, type, message) {
  return send(res, status, { __type: type, message }, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': crypto.randomUUID() });
}
const ceServer = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/_reset' && req.method === 'POST') { Object.assign(ce, { calls: [], pageSize: 3, throttle: 0 }); return send(res, 200, { ok: true }); }
  if (url.pathname === '/_control' && req.method === 'POST') { Object.assign(ce, await readJson(req)); return send(res, 200, { ok: true }); }
  if (url.pathname === '/_calls') return send(res, 200, ce.calls);
  const body = (await readBody(req)).toString('utf8');
  const auth = req.headers.authorization ?? '';
  const call = { at: Date.now(), target: req.headers['x-amz-target'] ?? null, signed: false, error: null, request: null };
  ce.calls.push(call);
  const m = auth.match(/^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/);
  if (!m) { call.error = 'MissingAuthenticationToken'; return ceError(res, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'); }
  const [, keyId, , region, service, signedHeaders] = m;
  if (keyId !== awsKey) { call.error = 'UnrecognizedClient'; return ceError(res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'); }
  // Recompute the signature with aws4 over the headers the client says it signed.
  const names = signedHeaders.split(';');
  const headers = {};
  for (const n of names) headers[n] = req.headers[n];
  // aws4 takes the time from x-amz-date; it would add Content-Length, so that is left out unless the client signed it.
  const opts = { method: req.method, host: req.headers.host, path: req.url, body, service, region, headers,
    extraHeadersToIgnore: names.includes('content-length') ? {} : { 'content-length': true } };
  const amzDate = req.headers['x-amz-date'] ?? '';
  const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!(Math.abs(Date.now() - signedAt) < 15 * 60 * 1000)) {
    call.error = 'SignatureExpired';
    return ceError(res, 403, 'InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than the allowed 15 minutes.`);
  }
  aws4.sign(opts, { accessKeyId: awsKey, secretAccessKey: awsSecret });
  if (opts.headers.Authorization !== auth) {
    call.error = 'InvalidSignature';
    return ceError(res, 403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
  call.signed = true;
  if (req.headers['x-amz-target'] !== 'AWSInsightsIndexService.GetCostAndUsage') return ceError(res, 400, 'UnknownOperationException', 'Unknown operation');
  if (ce.throttle > 0) { ce.throttle--; return ceError(res, 400, 'ThrottlingException', 'Rate exceeded'); }
  let q;
  try { q = JSON.parse(body); } catch { return ceError(res, 400, 'SerializationException', 'Start of structure or map found where not expected.'); }
  call.request = q;
  const start = q.TimePeriod?.Start, end = q.TimePeriod?.End;
  if (!start || !end || !(start < end)) return ceError(res, 400, 'com.amazonaws.ce#ValidationException', 'Start date (and hour) should be before end date (and hour)');
  if (q.Granularity !== 'MONTHLY' && q.Granularity !== 'DAILY') return ceError(res, 400, 'com.amazonaws.ce#ValidationException', 'Granularity is required');
  const dim = q.GroupBy?.[0]?.Key ?? 'SERVICE';
  const keys = dim === 'USAGE_TYPE' ? usageTypes : services;
  const month = start.slice(0, 7);
  const offset = q.NextPageToken ? Number(Buffer.from(q.NextPageToken, 'base64').toString('utf8')) : 0;
  const slice = keys.slice(offset, offset + ce.pageSize);
  const next = offset + ce.pageSize < keys.length ? Buffer.from(String(offset + ce.pageSize)).toString('base64') : undefined;
  const currentMonth = new Date().toISOString().slice(0, 7);
  return send(res, 200, {
    GroupDefinitions: [{ Type: 'DIMENSION', Key: dim }],
    ResultsByTime: [{
      TimePeriod: { Start: start, End: end }, Total: {},
      Groups: slice.map((k) => ({ Keys: [k], Metrics: { UnblendedCost: { Amount: amountFor(month, k), Unit: 'USD' } } })),
      Estimated: month >= currentMonth,
    }],
    DimensionValueAttributes: [],
    ...(next ? { NextPageToken: next } : {}),
  }, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': crypto.randomUUID() });
});

// ---------------------------------------------------------------- Statuspage v2
const defaultComponents = () => ['API', 'Dashboard', 'Checkout', 'Payouts', 'Webhooks', 'Stripe.js', 'Billing'].map((name, i) => ({
  id: 'cmp' + i, name, status: 'operational', created_at: '2014-05-03T01:22:07.274Z', updated_at: new Date().toISOString(), position: i + 1,
  description: null, showcase: true, start_date: null, group_id: null, page_id: 'kctbh9vrtdwd', group: false, only_show_if_degraded: false,
}));
const st = { indicator: 'none', description: 'All Systems Operational', components: defaultComponents(), incidents: [], hang: false, status: 200 };
const page = () => ({ id: 'kctbh9vrtdwd', name: 'Stripe', url: 'https://status.stripe.com', time_zone: 'Etc/UTC', updated_at: new Date().toISOString() });
const statusServer = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/_reset' && req.method === 'POST') { Object.assign(st, { indicator: 'none', description: 'All Systems Operational', components: defaultComponents(), incidents: [], hang: false, status: 200 }); return send(res, 200, { ok: true }); }
  if (url.pathname === '/_control' && req.method === 'POST') {
    const c = await readJson(req);
    if (c.degrade) for (const [name, status] of Object.entries(c.degrade)) { const x = st.components.find((k) => k.name === name); if (x) x.status = status; }
    delete c.degrade;
    Object.assign(st, c);
    return send(res, 200, { ok: true });
  }
  if (st.hang) { await sleep(120000); return res.destroy(); }
  if (st.status !== 200) return send(res, st.status, '<html>error</html>');
  if (url.pathname === '/api/v2/status.json') return send(res, 200, { page: page(), status: { indicator: st.indicator, description: st.description } });
  if (url.pathname === '/api/v2/summary.json') {
    return send(res, 200, { page: page(), components: st.components, incidents: st.incidents, scheduled_maintenances: [], status: { indicator: st.indicator, description: st.description } });
  }
  return send(res, 404, { error: 'not found' });
});

const servers = [[apiServer, env.STRIPE_API_PORT], [hookServer, env.WEBHOOK_PORT], [ceServer, env.COST_EXPLORER_PORT], [statusServer, env.STATUS_PORT]];
for (const [s, p] of servers) if (p) s.listen(Number(p), '127.0.0.1', () => console.log(`payments-stub listening on 127.0.0.1:${p}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { for (const [s] of servers) s.close(); process.exit(0); });
