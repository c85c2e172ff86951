-- The first answer to each event, keyed by sender and event id (EventKeys.For): what a replay gets back. Written once
-- by INSERT .. ON CONFLICT DO NOTHING, so the primary key decides which answer is first.
CREATE TABLE IF NOT EXISTS coaching_event_answers
(
    service_id  varchar(150) NOT NULL,
    event_key   text         NOT NULL,
    answer      text         NOT NULL,
    recorded_at timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, event_key)
);

-- Answers stored by the earlier design, one grain state row per event (state name 'event-record'), move here once.
INSERT INTO coaching_event_answers (service_id, event_key, answer, recorded_at)
SELECT service_id, grain_id_extension, answer::text, modified_at
  FROM (SELECT service_id, grain_id_extension, modified_at,
               coalesce(convert_from(payload, 'UTF8')::jsonb -> 'Answer', convert_from(payload, 'UTF8')::jsonb -> 'answer') AS answer
          FROM orleans_grain_state
         WHERE state_name = 'event-record' AND payload IS NOT NULL) AS stored
 WHERE jsonb_typeof(answer) = 'object'
ON CONFLICT DO NOTHING;

DELETE FROM orleans_grain_state WHERE state_name = 'event-record';

-- Old answers are deleted by age when Coaching:Events:AnswerRetention is set (EventAnswerRetention). Rows arrive in
-- time order, so a BRIN index finds the old ones for almost no upkeep per insert.
CREATE INDEX IF NOT EXISTS coaching_event_answers_recorded_at ON coaching_event_answers USING brin (recorded_at);
