-- The session lists (a supervisor's, a coach's, an agent's, a case's; SessionLists keys). A session's row (what a
-- list shows of it and what the visibility rule reads) is stored once in coaching_session_rows; each list holds one
-- small entry per session in coaching_session_list_entries, ordered for paging newest first by (created_ticks,
-- session_id). Revisions are the session's history count: a write replaces a row or an entry only from the same or a
-- higher revision, so a late write cannot bring back an older row or a removed entry (listed = false keeps the
-- removal for that reason). Ids compare as C# does (ordinal), hence COLLATE "C".
CREATE TABLE IF NOT EXISTS coaching_session_rows
(
    service_id  varchar(150)       NOT NULL,
    session_id  text COLLATE "C"   NOT NULL,
    revision    integer            NOT NULL,
    closed_at   timestamptz        NULL,
    row         text               NOT NULL,
    modified_at timestamptz        NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, session_id)
);

CREATE TABLE IF NOT EXISTS coaching_session_list_entries
(
    service_id    varchar(150)     NOT NULL,
    list_key      text             NOT NULL,
    session_id    text COLLATE "C" NOT NULL,
    revision      integer          NOT NULL,
    created_ticks bigint           NOT NULL,
    listed        boolean          NOT NULL,
    modified_at   timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, list_key, session_id)
);

CREATE INDEX IF NOT EXISTS coaching_session_list_entries_page
    ON coaching_session_list_entries (service_id, list_key, created_ticks DESC, session_id DESC) WHERE listed;

-- The earlier design kept one grain state per list holding every session id (state name 'session-index'). The
-- sessions push their rows again when they next activate (their stored state has no listed revision yet).
DELETE FROM orleans_grain_state WHERE state_name = 'session-index';
