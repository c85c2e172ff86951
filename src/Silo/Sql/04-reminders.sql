-- Reminders: one row per (service, grain, reminder name). grain_hash is the grain's uniform hash
-- as the provider sends it (a uint reinterpreted as a signed int), which is also how it compares
-- ranges: ReadRangeRows1Key is the non-wrapping range, ReadRangeRows2Key the wrapping one.

CREATE TABLE IF NOT EXISTS orleans_reminder
(
    service_id    varchar(150) NOT NULL,
    grain_id      varchar(512) NOT NULL,
    reminder_name varchar(150) NOT NULL,
    grain_hash    integer      NOT NULL,
    start_time    timestamptz  NOT NULL,
    period        bigint       NOT NULL,
    version       integer      NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS orleans_reminder_by_hash ON orleans_reminder (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadReminderRowsKey',
 'SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
         period AS "Period", version AS "Version"
    FROM orleans_reminder
   WHERE service_id = @ServiceId AND grain_id = @GrainId'),

('ReadReminderRowKey',
 'SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
         period AS "Period", version AS "Version"
    FROM orleans_reminder
   WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName'),

('ReadRangeRows1Key',
 'SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
         period AS "Period", version AS "Version"
    FROM orleans_reminder
   WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash'),

('ReadRangeRows2Key',
 'SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
         period AS "Period", version AS "Version"
    FROM orleans_reminder
   WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)'),

('UpsertReminderRowKey',
 'INSERT INTO orleans_reminder (service_id, grain_id, reminder_name, grain_hash, start_time, period, version)
  VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 1)
  ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
     SET grain_hash = EXCLUDED.grain_hash, start_time = EXCLUDED.start_time, period = EXCLUDED.period,
         version = CASE WHEN orleans_reminder.version = 2147483647 THEN 1 ELSE orleans_reminder.version + 1 END
  RETURNING version AS "Version"'),

('DeleteReminderRowKey',
 'WITH deleted AS (
      DELETE FROM orleans_reminder
       WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
         AND version = @Version
      RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM deleted)'),

('DeleteReminderRowsKey',
 'DELETE FROM orleans_reminder WHERE service_id = @ServiceId')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
