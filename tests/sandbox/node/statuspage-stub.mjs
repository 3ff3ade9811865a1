// Stand-in for the Atlassian Statuspage REST API v1 (https://developer.statuspage.io/), the endpoints Set-OpsStatusPage and
// Get-OpsStatusPage use, in the reference's JSON shapes:
//   GET   /v1/pages/{page_id}/components                      -> [component]
//   GET   /v1/pages/{page_id}/components/{component_id}       -> component
//   PATCH /v1/pages/{page_id}/components/{component_id}       {"component": {"status": ..., "description"?, "name"?}} -> component
//   GET   /v1/pages/{page_id}/incidents[/unresolved]          -> [incident] (newest first)
//   GET   /v1/pages/{page_id}/incidents/{incident_id}         -> incident
//   POST  /v1/pages/{page_id}/incidents                       {"incident": {name, status, body, impact_override?, component_ids?,
//                                                              components? {id: status}, scheduled_for?, scheduled_until?}} -> 201 incident
//   PATCH /v1/pages/{page_id}/incidents/{incident_id}         {"incident": {status?, body?, components?}} -> incident (a new incident_update)
// Every call must carry "Authorization: OAuth <key>" (STATUSPAGE_API_KEY): else 401 {"error": "Could not authenticate"}.
// An unknown page, component or incident is 404 {"error": "..."}; a bad status value 422 {"error": [...]}.
// Test controls: GET /_calls (every request: method, path, authorization ok, body), POST /_reset, POST /_control {failNext: 503, count}.
// Usage: PORT=... STATUSPAGE_API_KEY=... STATUSPAGE_PAGE_ID=... node statuspage-stub.mjs
import http from 'node:http';
import crypto from 'node:crypto';

const port = Number(process.env.PORT ?? 8017);
const apiKey = process.env.STATUSPAGE_API_KEY ?? 'sandbox-statuspage-key';
const pageId = process.env.STATUSPAGE_PAGE_ID ?? 'sandboxpage';
const componentStatuses = ['operational', 'under_maintenance', 'degraded_performance', 'partial_outage', 'major_outage'];
const incidentStatuses = ['investigating', 'identified', 'monitoring', 'resolved', 'scheduled', 'in_progress', 'verifying', 'completed'];

const id = () => crypto.randomBytes(6).toString('hex');
const now = () => new Date().toISOString();
let state;
function reset() {
  const made = '2026-11-01T09:00:00.000Z';
  const component = (cid, name, position, description) => ({
    id: cid, page_id: pageId, group_id: null, created_at: made, updated_at: made, group: false, name, description, position,
    status: 'operational', showcase: true, only_show_if_degraded: false, automation_email: `component+${cid}@notifications.statuspage.io`, start_date: '2026-11-01',
  });
  state = {
    components: [
      component('cmp0api00001', 'API', 1, 'The public REST API'),
      component('cmp0web00002', 'Web App', 2, 'app.example.com'),
      component('cmp0med00003', 'Media Processing', 3, 'Uploads, transcoding and embeddings'),
      { ...component('cmp0grp00004', 'Infrastructure', 4, 'Group'), group: true, components: ['cmp0dbs00005'] },
      { ...component('cmp0dbs00005', 'Database', 5, null), group_id: 'cmp0grp00004' },
    ],
    incidents: [], calls: [], failNext: 0, failCount: 0,
  };
}
reset();

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
const impactOf = (statuses) => statuses.includes('major_outage') ? 'critical' : statuses.includes('partial_outage') ? 'major'
  : statuses.includes('degraded_performance') ? 'minor' : statuses.includes('under_maintenance') ? 'maintenance' : 'none';

function applyComponents(inc, components) {
  if (!components) return [];
  const affected = [];
  for (const [cid, status] of Object.entries(components)) {
    const c = state.components.find((x) => x.id === cid);
    if (!c) throw Object.assign(new Error(`Component ${cid} not found`), { status: 404 });
    if (!componentStatuses.includes(status)) throw Object.assign(new Error(`Status ${status} is not included in the list`), { status: 422 });
    affected.push({ code: cid, name: c.name, old_status: c.status, new_status: status });
    c.status = status; c.updated_at = now();
    if (!inc.components.some((x) => x.id === cid)) inc.components.push(c);
  }
  return affected;
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const raw = await readBody(req);
  if (url.pathname === '/_reset' && req.method === 'POST') { reset(); return send(res, 200, { ok: true }); }
  if (url.pathname === '/_calls') return send(res, 200, state.calls);
  if (url.pathname === '/_control' && req.method === 'POST') { const c = JSON.parse(raw || '{}'); state.failNext = c.failNext ?? 0; state.failCount = c.count ?? 1; return send(res, 200, { ok: true }); }
  let body = null;
  try { body = raw ? JSON.parse(raw) : null; } catch { return send(res, 400, { error: 'Malformed JSON' }); }
  const auth = req.headers.authorization ?? '';
  state.calls.push({ method: req.method, path: url.pathname, auth: auth === `OAuth ${apiKey}` ? 'ok' : (auth ? 'wrong' : 'missing'), contentType: req.headers['content-type'] ?? '', body });
  if (auth !== `OAuth ${apiKey}`) return send(res, 401, { error: 'Could not authenticate' });
  if (state.failCount > 0 && state.failNext) { state.failCount--; return send(res, state.failNext, { error: 'Service Unavailable' }); }
  const m = /^\/v1\/pages\/([^/]+)(\/.*)$/.exec(url.pathname);
  if (!m) return send(res, 404, { error: 'Not found' });
  if (decodeURIComponent(m[1]) !== pageId) return send(res, 404, { error: `Couldn't find Page with 'id'=${m[1]}` });
  const path = m[2];
  try {
    if (req.method === 'GET' && path === '/components') return send(res, 200, state.components);
    let cm = /^\/components\/([^/]+)$/.exec(path);
    if (cm) {
      const c = state.components.find((x) => x.id === cm[1]);
      if (!c) return send(res, 404, { error: `Couldn't find Component with 'id'=${cm[1]}` });
      if (req.method === 'GET') return send(res, 200, c);
      if (req.method === 'PATCH' || req.method === 'PUT') {
        const u = body?.component ?? {};
        if (u.status !== undefined && !componentStatuses.includes(u.status)) return send(res, 422, { error: [`Status ${u.status} is not included in the list`] });
        for (const k of ['status', 'name', 'description']) if (u[k] !== undefined) c[k] = u[k];
        c.updated_at = now();
        return send(res, 200, c);
      }
    }
    if (req.method === 'GET' && (path === '/incidents' || path === '/incidents/unresolved')) {
      const list = [...state.incidents].reverse();
      return send(res, 200, path === '/incidents' ? list : list.filter((i) => !['resolved', 'postmortem', 'completed'].includes(i.status)));
    }
    if (req.method === 'POST' && path === '/incidents') {
      const i = body?.incident;
      if (!i?.name) return send(res, 422, { error: ["Name can't be blank"] });
      const status = i.status ?? (i.scheduled_for ? 'scheduled' : 'investigating');
      if (!incidentStatuses.includes(status)) return send(res, 422, { error: [`Status ${status} is not included in the list`] });
      const iid = id();
      const inc = {
        id: iid, components: [], created_at: now(), impact: 'none', impact_override: i.impact_override ?? null, incident_updates: [],
        monitoring_at: null, name: i.name, page_id: pageId, postmortem_body: null, resolved_at: null, scheduled_for: i.scheduled_for ?? null,
        scheduled_until: i.scheduled_until ?? null, shortlink: `https://stspg.io/${iid.slice(0, 5)}`, status, updated_at: now(),
      };
      for (const cid of i.component_ids ?? []) { const c = state.components.find((x) => x.id === cid); if (c && !inc.components.includes(c)) inc.components.push(c); }
      const affected = applyComponents(inc, i.components);
      inc.impact = i.impact_override ?? impactOf(Object.values(i.components ?? {}));
      inc.incident_updates.unshift({ id: id(), incident_id: iid, status, body: i.body ?? '', created_at: now(), affected_components: affected });
      state.incidents.push(inc);
      return send(res, 201, inc);
    }
    const im = /^\/incidents\/([^/]+)$/.exec(path);
    if (im) {
      const inc = state.incidents.find((x) => x.id === im[1]);
      if (!inc) return send(res, 404, { error: `Couldn't find Incident with 'id'=${im[1]}` });
      if (req.method === 'GET') return send(res, 200, inc);
      if (req.method === 'PATCH' || req.method === 'PUT') {
        const i = body?.incident ?? {};
        if (i.status !== undefined && !incidentStatuses.includes(i.status)) return send(res, 422, { error: [`Status ${i.status} is not included in the list`] });
        const affected = applyComponents(inc, i.components);
        if (i.status) inc.status = i.status;
        if (i.name) inc.name = i.name;
        if (inc.status === 'resolved' || inc.status === 'completed') inc.resolved_at = now();
        if (inc.status === 'monitoring') inc.monitoring_at = now();
        inc.updated_at = now();
        inc.incident_updates.unshift({ id: id(), incident_id: inc.id, status: inc.status, body: i.body ?? '', created_at: now(), affected_components: affected });
        return send(res, 200, inc);
      }
    }
    return send(res, 404, { error: 'Not found' });
  } catch (e) {
    return send(res, e.status ?? 500, { error: e.message });
  }
});
server.listen(port, '127.0.0.1', () => console.log('ready'));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => { server.close(); process.exit(0); });
