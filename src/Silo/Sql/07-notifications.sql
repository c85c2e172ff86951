-- The notifications of every inbox, one row per notification, so that a delivery writes its own row only. id is the
-- inbox's sequence number as fixed-width digits ("C" collation: newest first is descending id); delivery_key makes
-- delivery idempotent. body is the notification's type, text and subject as JSON. Rows beyond the newest
-- Coaching:Notifications:KeepPerUser of a recipient, or older than KeepFor, are deleted by the recipient's inbox.
CREATE TABLE IF NOT EXISTS coaching_notifications
(
    service_id   varchar(150)      NOT NULL,
    recipient    text              NOT NULL,
    id           text COLLATE "C"  NOT NULL,
    delivery_key text              NOT NULL,
    created_at   timestamptz       NOT NULL,
    read         boolean           NOT NULL DEFAULT false,
    body         text              NOT NULL,
    PRIMARY KEY (service_id, recipient, id),
    UNIQUE (service_id, recipient, delivery_key)
);

-- Inboxes stored by the earlier design, one grain state row per inbox (state name 'inbox', JSON
-- {"LastSequence": n, "Items": [<notification>], "DeliveredKeys": {"<key>": "<id>"}}), move here once. Each item
-- keeps the key that delivered it; an item without one gets a key of its own that no delivery uses.
INSERT INTO coaching_notifications (service_id, recipient, id, delivery_key, created_at, read, body)
SELECT stored.service_id, stored.grain_id_extension, item ->> 'Id',
       coalesce((SELECT k.key FROM jsonb_each_text(stored.keys) AS k WHERE k.value = item ->> 'Id' LIMIT 1), 'moved:' || (item ->> 'Id')),
       (item ->> 'CreatedAt')::timestamptz, coalesce((item ->> 'Read')::boolean, false), item::text
  FROM (SELECT service_id, grain_id_extension,
               convert_from(payload, 'UTF8')::jsonb -> 'Items' AS items,
               CASE WHEN jsonb_typeof(convert_from(payload, 'UTF8')::jsonb -> 'DeliveredKeys') = 'object'
                    THEN convert_from(payload, 'UTF8')::jsonb -> 'DeliveredKeys' ELSE '{}'::jsonb END AS keys
          FROM orleans_grain_state
         WHERE state_name = 'inbox' AND payload IS NOT NULL) AS stored
 CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(stored.items) = 'array' THEN stored.items ELSE '[]'::jsonb END) AS item
 WHERE jsonb_typeof(item) = 'object' AND item ->> 'Id' IS NOT NULL AND item ->> 'CreatedAt' IS NOT NULL
ON CONFLICT DO NOTHING;

DELETE FROM orleans_grain_state WHERE state_name = 'inbox';
