-- The platform's schema, with the table and column names the runbook's SQL uses.
-- Loaded by Sandbox.psm1 into the sandbox databases (app, app_staging). Idempotent.
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

CREATE TABLE IF NOT EXISTS users (
    id                bigserial PRIMARY KEY,
    email             text NOT NULL UNIQUE,
    subscription_tier text NOT NULL DEFAULT 'free' CHECK (subscription_tier IN ('free', 'pro', 'enterprise')),
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS user_activity (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    action     text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS user_activity_created_at_idx ON user_activity (created_at);

CREATE TABLE IF NOT EXISTS media_items (
    id                bigserial PRIMARY KEY,
    user_id           bigint NOT NULL REFERENCES users (id),
    file_name         text NOT NULL,
    file_size         bigint NOT NULL,
    mime_type         text NOT NULL,
    processing_status text NOT NULL DEFAULT 'pending' CHECK (processing_status IN ('pending', 'processing', 'completed', 'failed')),
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS media_items_user_id_idx ON media_items (user_id);
CREATE INDEX IF NOT EXISTS media_items_created_at_idx ON media_items (created_at);
CREATE INDEX IF NOT EXISTS media_items_status_idx ON media_items (processing_status);

CREATE TABLE IF NOT EXISTS search_history (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id),
    query        text NOT NULL,
    result_count integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS search_history_user_id_idx ON search_history (user_id);
CREATE INDEX IF NOT EXISTS search_history_created_at_idx ON search_history (created_at);

CREATE TABLE IF NOT EXISTS embeddings (
    id            bigserial PRIMARY KEY,
    media_item_id bigint NOT NULL REFERENCES media_items (id),
    model         text NOT NULL,
    vector        real[] NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS embeddings_media_item_id_idx ON embeddings (media_item_id);

CREATE TABLE IF NOT EXISTS cost_tracking (
    id         bigserial PRIMARY KEY,
    service    text NOT NULL,
    cost       numeric(12, 6) NOT NULL,
    user_id    bigint REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS cost_tracking_created_at_idx ON cost_tracking (created_at);

-- The runbook's reference views.
CREATE OR REPLACE VIEW active_operations AS
SELECT 'upload' AS operation, COUNT(*) AS count
FROM media_items
WHERE processing_status IN ('pending', 'processing')
UNION ALL
SELECT 'search' AS operation, COUNT(*) AS count
FROM search_history
WHERE created_at > NOW() - INTERVAL '1 minute';

CREATE OR REPLACE VIEW user_activity_summary AS
SELECT u.email,
       u.subscription_tier,
       COUNT(DISTINCT m.id) AS media_count,
       COUNT(DISTINCT s.id) AS search_count,
       MAX(m.created_at)    AS last_upload,
       MAX(s.created_at)    AS last_search
FROM users u
LEFT JOIN media_items m ON u.id = m.user_id
LEFT JOIN search_history s ON u.id = s.user_id
GROUP BY u.id, u.email, u.subscription_tier;
