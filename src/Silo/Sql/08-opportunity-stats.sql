-- The stats of each opportunity (OpportunityCounting), counted by no one in memory so that a silo may die at any time.
--
-- coaching_outcome_tallies: what first event answers add to the outcome counts. Each row is written by the statement
-- that stores the answers (PostgresEventAnswers), in the same transaction, for the answers it actually stored; a replay
-- adds nothing. Rows are only ever inserted (no counter row that every silo would wait on); reading sums them, and a
-- read that finds many folds them into one row per outcome (one statement: DELETE .. RETURNING into INSERT).
--
-- coaching_assessment_stats: each assessment's standing (state, expiries, time to resolve) as of the highest revision
-- reported, the revision being its history's length. A report replaces the row only from a higher revision, so a report
-- sent twice or late changes nothing. Assessments by state are a GROUP BY over these rows.
DO $$
BEGIN
    IF to_regclass('coaching_outcome_tallies') IS NULL THEN
        CREATE TABLE coaching_outcome_tallies
        (
            service_id     varchar(150) NOT NULL,
            opportunity_id text         NOT NULL,
            outcome        text         NOT NULL,
            count          bigint       NOT NULL,
            script_errors  bigint       NOT NULL,
            recorded_at    timestamptz  NOT NULL DEFAULT now()
        );
        CREATE INDEX coaching_outcome_tallies_opportunity ON coaching_outcome_tallies (service_id, opportunity_id);

        -- Counts kept by the earlier design in grain state (state name 'opportunity-stats': EventsMatched, Outcomes by
        -- enum name or number, ScriptErrors, and by-state counters taken from the assessments below) move here once.
        INSERT INTO coaching_outcome_tallies (service_id, opportunity_id, outcome, count, script_errors)
        SELECT stored.service_id, stored.grain_id_extension,
               CASE WHEN entry.key ~ '^[0-9]+$'
                    THEN (ARRAY['Created', 'NoTrainee', 'UnknownTrainee', 'NotInTraineeGroup', 'SuppressedDuplicate', 'SampledOut', 'BudgetExceeded'])[entry.key::int + 1]
                    ELSE entry.key END,
               (entry.value #>> '{}')::bigint, 0
          FROM (SELECT service_id, grain_id_extension, convert_from(payload, 'UTF8')::jsonb AS state
                  FROM orleans_grain_state
                 WHERE state_name = 'opportunity-stats' AND payload IS NOT NULL) AS stored
         CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(stored.state -> 'Outcomes') = 'object' THEN stored.state -> 'Outcomes' ELSE '{}'::jsonb END) AS entry
         WHERE jsonb_typeof(entry.value) = 'number';
        INSERT INTO coaching_outcome_tallies (service_id, opportunity_id, outcome, count, script_errors)
        SELECT service_id, grain_id_extension, 'Created', 0, (convert_from(payload, 'UTF8')::jsonb ->> 'ScriptErrors')::bigint
          FROM orleans_grain_state
         WHERE state_name = 'opportunity-stats' AND payload IS NOT NULL
           AND jsonb_typeof(convert_from(payload, 'UTF8')::jsonb -> 'ScriptErrors') = 'number';
    END IF;

    IF to_regclass('coaching_assessment_stats') IS NULL THEN
        CREATE TABLE coaching_assessment_stats
        (
            service_id            varchar(150) NOT NULL,
            opportunity_id        text         NOT NULL,
            assessment_id         text         NOT NULL,
            revision              integer      NOT NULL,
            state                 text         NOT NULL,
            expiries              integer      NOT NULL,
            time_to_resolve_ticks bigint       NULL,
            modified_at           timestamptz  NOT NULL DEFAULT now(),
            PRIMARY KEY (service_id, opportunity_id, assessment_id)
        );

        -- Every assessment stored so far gets its standing from its own state, once, as the table is made (state name
        -- 'assessment', PascalCase, enums as numbers): reports left in outboxes from before carry no revision and are
        -- ignored, the standing of their transition being here already.
        INSERT INTO coaching_assessment_stats (service_id, opportunity_id, assessment_id, revision, state, expiries, time_to_resolve_ticks)
        SELECT service_id, a ->> 'OpportunityId', a ->> 'Id', jsonb_array_length(a -> 'History'),
               CASE WHEN jsonb_typeof(a -> 'State') = 'number'
                    THEN (ARRAY['New', 'InProgress', 'Resolved', 'ClosedComplete', 'Canceled'])[(a ->> 'State')::int + 1]
                    ELSE a ->> 'State' END,
               (SELECT count(*) FROM jsonb_array_elements(a -> 'History') AS step
                 WHERE step ->> 'Action' = 'expired' AND (step -> 'From') IS DISTINCT FROM (step -> 'To')),
               CASE WHEN a ->> 'FirstResolvedAt' IS NULL THEN NULL
                    ELSE (extract(epoch FROM ((a ->> 'FirstResolvedAt')::timestamptz - (a ->> 'CreatedAt')::timestamptz)) * 10000000)::bigint END
          FROM (SELECT service_id, convert_from(payload, 'UTF8')::jsonb -> 'Assessment' AS a
                  FROM orleans_grain_state
                 WHERE state_name = 'assessment' AND payload IS NOT NULL) AS stored
         WHERE jsonb_typeof(a) = 'object' AND jsonb_typeof(a -> 'History') = 'array' AND jsonb_array_length(a -> 'History') > 0
        ON CONFLICT DO NOTHING;
    END IF;
END
$$;

DELETE FROM orleans_grain_state WHERE state_name = 'opportunity-stats';
