#!/bin/bash
# The runbook's "Morning Health Check" (runbook.md) as a sequential bash script, extended to check what
# Get-OpsHealth checks, against the same services: used by bench/HealthSweep.ps1 as the baseline.
# Inputs (environment): NGINX_PROCESS API_HEALTH_URL PG_TCP REDIS_TCP DISK_PATH PGHOST PGPORT PGUSER
# PGDATABASE PGPASSWORD REDIS_HOST REDIS_PORT REDISCLI_AUTH QUEUE_STATS_URL LOG_DIR
set -u
echo "Starting Daily Health Check - $(date)"

echo "1. Checking services..."
pgrep -x "$NGINX_PROCESS" > /dev/null && echo "nginx running" || echo "nginx NOT running"
curl -s -o /dev/null -w 'api %{http_code} %{time_total}s\n' --max-time 5 "$API_HEALTH_URL"
for hp in $PG_TCP $REDIS_TCP; do
  timeout 5 bash -c "</dev/tcp/${hp%:*}/${hp##*:}" 2>/dev/null && echo "$hp open" || echo "$hp CLOSED"
done

echo "2. Checking disk space..."
df -h "$DISK_PATH" | grep -E "^/|%"
df -i "$DISK_PATH" | tail -1

echo "3. Checking database..."
psql -X -At -c "SELECT current_setting('max_connections'), count(*), count(*) FILTER (WHERE state = 'active'), count(*) FILTER (WHERE state = 'idle'), count(*) FILTER (WHERE state LIKE 'idle in transaction%'), count(*) FILTER (WHERE state = 'active' AND now() - query_start > interval '300 seconds') FROM pg_stat_activity WHERE backend_type = 'client backend';"

echo "4. Checking Redis..."
redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --no-auth-warning ping
redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" --no-auth-warning info | grep -E "instantaneous_ops_per_sec|used_memory:|maxmemory:|connected_clients|rejected_connections"

echo "5. Checking queues..."
curl -s --max-time 5 "$QUEUE_STATS_URL" | jq -c .

echo "6. Checking errors (last 24h)..."
cutoff=$(date -u -d '24 hours ago' +%Y-%m-%dT%H:%M:%S)
{
  for d in "$(date -u +%Y-%m-%d)" "$(date -u -d yesterday +%Y-%m-%d)"; do
    [ -f "$LOG_DIR/api-$d.log" ] && cat "$LOG_DIR/api-$d.log"
    [ -f "$LOG_DIR/api-$d.log.gz" ] && zcat "$LOG_DIR/api-$d.log.gz"
  done
} | awk -v c="$cutoff" '$1 >= c && $2 == "ERROR"' | wc -l

echo "Health check complete"
