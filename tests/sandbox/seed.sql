-- Synthetic data at a chosen scale (psql -v scale=N; scale 1 = 1,000 users). Deterministic.
-- Spread over the last 60 days, with a share of every table falling on today so that the daily
-- metrics (DAU, signups, uploads, searches) are never zero. Runs only into empty tables.
SELECT setseed(0.42);

INSERT INTO users (email, subscription_tier, created_at)
SELECT 'user' || g || '@example.test',
       (ARRAY['free', 'free', 'free', 'pro', 'enterprise'])[1 + (g % 5)],
       CASE WHEN g % 50 = 0 THEN now() - (random() * interval '2 hours')
            ELSE now() - (random() * interval '60 days') END
FROM generate_series(1, 1000 * :scale) AS g;

INSERT INTO user_activity (user_id, action, created_at)
SELECT 1 + (g % (1000 * :scale)),
       (ARRAY['login', 'upload', 'search', 'view'])[1 + (g % 4)],
       CASE WHEN g % 10 = 0 THEN date_trunc('day', now()) + (random() * (now() - date_trunc('day', now())))
            ELSE now() - (random() * interval '30 days') END
FROM generate_series(1, 5000 * :scale) AS g;

INSERT INTO media_items (user_id, file_name, file_size, mime_type, processing_status, created_at)
SELECT 1 + ((g * 7) % (1000 * :scale)),
       'media-' || g || (ARRAY['.jpg', '.png', '.mp4', '.pdf'])[1 + (g % 4)],
       (10000 + random() * 50000000)::bigint,
       (ARRAY['image/jpeg', 'image/png', 'video/mp4', 'application/pdf'])[1 + (g % 4)],
       (ARRAY['completed', 'completed', 'completed', 'completed', 'completed', 'completed', 'failed', 'pending', 'processing'])[1 + (g % 9)],
       CASE WHEN g % 20 = 0 THEN date_trunc('day', now()) + (random() * (now() - date_trunc('day', now())))
            ELSE now() - (random() * interval '60 days') END
FROM generate_series(1, 10000 * :scale) AS g;

INSERT INTO search_history (user_id, query, result_count, created_at)
SELECT 1 + ((g * 13) % (1000 * :scale)),
       (ARRAY['sunset beach', 'cat video', 'invoice 2026', 'mountain', 'birthday party', 'logo png'])[1 + (g % 6)],
       (random() * 100)::int,
       CASE WHEN g % 10 = 0 THEN date_trunc('day', now()) + (random() * (now() - date_trunc('day', now())))
            ELSE now() - (random() * interval '60 days') END
FROM generate_series(1, 20000 * :scale) AS g;

INSERT INTO embeddings (media_item_id, model, vector, created_at)
SELECT m.id, 'clip-vit-b32',
       ARRAY(SELECT random()::real FROM generate_series(1, 16)),
       m.created_at + interval '1 minute'
FROM media_items m
WHERE m.processing_status = 'completed';

INSERT INTO cost_tracking (service, cost, user_id, created_at)
SELECT (ARRAY['openai', 'aws-s3', 'aws-rekognition', 'stripe'])[1 + (g % 4)],
       round((random() * 0.05)::numeric, 6),
       1 + ((g * 3) % (1000 * :scale)),
       now() - (random() * interval '62 days')
FROM generate_series(1, 8000 * :scale) AS g;

ANALYZE;
