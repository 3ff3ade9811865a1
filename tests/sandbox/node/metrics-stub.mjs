// Stand-in for the platform API's Prometheus /metrics endpoint (Get-OpsApiMetric, the sandbox's Prometheus).
// Serves http_request_duration_seconds as prom-client's default histogram would (its default buckets), per
// method, route and status. Every answer counts one more "round" of the same fixed traffic, so the counters
// grow between scrapes (increase() over a range sees traffic) while every percentile stays the same.
//   GET /metrics   text/plain; version=0.0.4
import http from 'node:http';

const port = Number(process.env.PORT ?? 9464);
const bounds = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf'];
// Cumulative counts per bucket for one round of traffic.
export const series = [
  { method: 'GET', route: '/api/search', status: '200', buckets: [1, 4, 12, 30, 60, 85, 95, 98, 99, 100, 100, 100], sum: 21.7 },
  { method: 'GET', route: '/api/search', status: '500', buckets: [0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2], sum: 1.6 },
  { method: 'POST', route: '/api/upload', status: '201', buckets: [0, 0, 0, 0, 2, 5, 10, 25, 38, 40, 40, 40], sum: 55.2 },
  { method: 'GET', route: '/api/health', status: '200', buckets: [40, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50], sum: 0.21 },
];

let rounds = 0;
function render() {
  rounds++;
  const lines = [
    '# HELP http_request_duration_seconds Duration of HTTP requests in seconds',
    '# TYPE http_request_duration_seconds histogram',
  ];
  for (const s of series) {
    const l = `method="${s.method}",route="${s.route}",status="${s.status}"`;
    s.buckets.forEach((c, i) => lines.push(`http_request_duration_seconds_bucket{le="${bounds[i]}",${l}} ${c * rounds}`));
    lines.push(`http_request_duration_seconds_sum{${l}} ${(s.sum * rounds).toFixed(3)}`);
    lines.push(`http_request_duration_seconds_count{${l}} ${s.buckets[s.buckets.length - 1] * rounds}`);
  }
  lines.push('# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.');
  lines.push('# TYPE process_start_time_seconds gauge');
  lines.push(`process_start_time_seconds ${Math.floor(Date.now() / 1000)}`);
  return lines.join('\n') + '\n';
}

http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/metrics') {
    const text = render();
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  }
}).listen(port, '127.0.0.1', () => console.log(`metrics stand-in on 127.0.0.1:${port}`));
