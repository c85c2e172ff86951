-- Membership: one version row per cluster (DeploymentId = ClusterId) plus one row per silo
-- incarnation. Every membership change bumps the version row in the same transaction and only
-- if the caller saw the current version: that is the table-wide optimistic concurrency Orleans
-- relies on to agree on who is alive.

CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id varchar(150) NOT NULL PRIMARY KEY,
    version       integer      NOT NULL DEFAULT 0,
    changed_at    timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   varchar(150) NOT NULL REFERENCES orleans_membership_version (deployment_id) ON DELETE CASCADE,
    address         varchar(45)  NOT NULL,
    port            integer      NOT NULL,
    generation      integer      NOT NULL,
    silo_name       varchar(150) NOT NULL,
    host_name       varchar(150) NOT NULL,
    status          integer      NOT NULL,
    proxy_port      integer      NULL,
    suspect_times   text         NULL,
    start_time      timestamptz  NOT NULL,
    i_am_alive_time timestamptz  NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

CREATE OR REPLACE FUNCTION orleans_membership_insert_version(p_deployment_id text)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO orleans_membership_version (deployment_id) VALUES (p_deployment_id)
    ON CONFLICT (deployment_id) DO NOTHING;
    RETURN FOUND;
END $$;

CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    -- Taking the version row first serialises concurrent writers of one cluster.
    UPDATE orleans_membership_version
       SET version = version + 1, changed_at = now()
     WHERE deployment_id = p_deployment_id AND version = p_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port,
         start_time, i_am_alive_time)
    VALUES
        (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status, p_proxy_port,
         p_start_time, p_i_am_alive_time);
    RETURN true;
EXCEPTION WHEN unique_violation THEN
    -- The silo row already exists: the block is rolled back, version bump included.
    RETURN false;
END $$;

CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    UPDATE orleans_membership_version
       SET version = version + 1, changed_at = now()
     WHERE deployment_id = p_deployment_id AND version = p_version;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership
       SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
     WHERE deployment_id = p_deployment_id AND address = p_address AND port = p_port AND generation = p_generation;
    IF NOT FOUND THEN
        RAISE no_data_found;
    END IF;
    RETURN true;
EXCEPTION WHEN no_data_found THEN
    -- No such silo: undo the version bump with the rest of the block.
    RETURN false;
END $$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey',
 'SELECT orleans_membership_insert_version(@DeploymentId)'),

('InsertMembershipKey',
 'SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
         @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)'),

('UpdateMembershipKey',
 'SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
         @IAmAliveTime, @Version)'),

-- A liveness heartbeat is not a membership change: it does not bump the version.
('UpdateIAmAlivetimeKey',
 'UPDATE orleans_membership SET i_am_alive_time = @IAmAliveTime
   WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation'),

-- Both reads start from the version row so that an empty cluster still yields its version.
('MembershipReadAllKey',
 'SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
         m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
         m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
   WHERE v.deployment_id = @DeploymentId'),

('MembershipReadRowKey',
 'SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
         m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status", m.proxy_port AS "ProxyPort",
         m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime", m.i_am_alive_time AS "IAmAliveTime"
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
         AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
   WHERE v.deployment_id = @DeploymentId'),

('GatewaysQueryKey',
 'SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
    FROM orleans_membership
   WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0'),

('DeleteMembershipTableEntriesKey',
 'DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId'),

-- Older callers sweep every dead silo not heard of since the cut-off.
('CleanupDefunctSiloEntriesKey',
 'DELETE FROM orleans_membership
   WHERE deployment_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime'),

-- 10.x decides in .NET which dead silo is defunct and deletes it only if the row is unchanged
-- since it read it (status 6 = Dead).
('CleanupDefunctSiloEntryKey',
 'DELETE FROM orleans_membership
   WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
     AND status = 6
     AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
     AND suspect_times IS NOT DISTINCT FROM @SuspectTimes')
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
