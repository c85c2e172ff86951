-- Grain state: one row per (service, state name, grain id). The version is the ETag: a write or
-- clear succeeds only when the caller holds the current version, so a stale or duplicate
-- activation cannot overwrite newer state. On conflict the functions return NULL, which the
-- provider reports as an InconsistentStateException.

CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    service_id         varchar(150) NOT NULL,
    state_name         varchar(512) NOT NULL,
    grain_id_n0        bigint       NOT NULL,
    grain_id_n1        bigint       NOT NULL,
    grain_id_extension varchar(512) NOT NULL DEFAULT '',
    payload            bytea        NULL,
    version            integer      NOT NULL,
    modified_at        timestamptz  NOT NULL DEFAULT now()
);

-- The provider sends NULL for "no key extension"; it is stored as '' so that every lookup is an equality the
-- unique index answers. (String-keyed grains all have n0 = n1 = 0: without the extension in the index condition a
-- lookup would read every row of its state name.)
CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_key
    ON orleans_grain_state (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension);

-- A database made when the column still held NULLs: store '' instead, once.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'orleans_grain_state'
                  AND column_name = 'grain_id_extension' AND is_nullable = 'YES') THEN
        UPDATE orleans_grain_state SET grain_id_extension = '' WHERE grain_id_extension IS NULL;
        ALTER TABLE orleans_grain_state
            ALTER COLUMN grain_id_extension SET DEFAULT '',
            ALTER COLUMN grain_id_extension SET NOT NULL;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION orleans_grain_state_write(
    p_service_id text, p_state_name text, p_n0 bigint, p_n1 bigint, p_extension text,
    p_expected_version integer, p_payload bytea)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        -- First write of this grain: fails if anyone else has written it already.
        INSERT INTO orleans_grain_state
            (service_id, state_name, grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
        VALUES (p_service_id, p_state_name, p_n0, p_n1, coalesce(p_extension, ''), p_payload, 1)
        ON CONFLICT DO NOTHING
        RETURNING version INTO new_version;
    ELSE
        UPDATE orleans_grain_state
           SET payload = p_payload,
               version = CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END,
               modified_at = now()
         WHERE service_id = p_service_id AND state_name = p_state_name
           AND grain_id_n0 = p_n0 AND grain_id_n1 = p_n1
           AND grain_id_extension = coalesce(p_extension, '')
           AND version = p_expected_version
        RETURNING version INTO new_version;
    END IF;
    RETURN new_version;
END $$;

CREATE OR REPLACE FUNCTION orleans_grain_state_clear(
    p_service_id text, p_state_name text, p_n0 bigint, p_n1 bigint, p_extension text,
    p_expected_version integer)
RETURNS integer LANGUAGE sql AS $$
    -- Keeps the row and its version so that the next write still has to prove it is current.
    UPDATE orleans_grain_state
       SET payload = NULL,
           version = CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END,
           modified_at = now()
     WHERE service_id = p_service_id AND state_name = p_state_name
       AND grain_id_n0 = p_n0 AND grain_id_n1 = p_n1
       AND grain_id_extension = coalesce(p_extension, '')
       AND version = p_expected_version
    RETURNING version;
$$;

-- Rows are never deleted (DeleteStateOnClear is not offered): a cleared row keeps its version.
DROP FUNCTION IF EXISTS orleans_grain_state_delete(text, text, bigint, bigint, text, integer);

-- Read and written by PostgresGrainStorage (src/Silo/Storage), not the Orleans ADO.NET provider: its query rows go.
DELETE FROM OrleansQuery
 WHERE QueryKey IN ('ReadFromStorageKey', 'WriteToStorageKey', 'ClearStorageKey', 'DeleteStorageKey');
