-- The lines of the assessment queues (a coach's, a coach group's, a trainee's list; AssessmentQueues keys), one row
-- per queue and assessment, so that a change writes its own line only. The revision is the assessment's history count
-- when the line was made: a write replaces the row only from the same or a higher revision, so a late or duplicate
-- write cannot put an older line back. line NULL: the assessment was taken off the queue at that revision (kept, for
-- the same reason); created_at is the assessment's creation time, NULL for those.
CREATE TABLE IF NOT EXISTS coaching_assessment_lines
(
    service_id    varchar(150) NOT NULL,
    queue_key     text         NOT NULL,
    assessment_id text         NOT NULL,
    revision      integer      NOT NULL,
    created_at    timestamptz  NULL,
    line          text         NULL,
    modified_at   timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, queue_key, assessment_id)
);

-- Queues stored by the earlier design, one grain state row per queue holding every line (state name
-- 'assessment-queue', JSON {"Lines": {"<assessment id>": <line>}}), move here once. Their lines had no revision: they
-- get 0, which any line the assessment pushes from now on replaces.
INSERT INTO coaching_assessment_lines (service_id, queue_key, assessment_id, revision, created_at, line, modified_at)
SELECT stored.service_id, stored.grain_id_extension, entry.key, 0,
       coalesce(entry.value ->> 'CreatedAt', entry.value ->> 'createdAt')::timestamptz, entry.value::text, stored.modified_at
  FROM (SELECT service_id, grain_id_extension, modified_at,
               coalesce(convert_from(payload, 'UTF8')::jsonb -> 'Lines', convert_from(payload, 'UTF8')::jsonb -> 'lines') AS lines
          FROM orleans_grain_state
         WHERE state_name = 'assessment-queue' AND payload IS NOT NULL) AS stored
 CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(stored.lines) = 'object' THEN stored.lines ELSE '{}'::jsonb END) AS entry
 WHERE jsonb_typeof(entry.value) = 'object'
ON CONFLICT DO NOTHING;

DELETE FROM orleans_grain_state WHERE state_name = 'assessment-queue';
