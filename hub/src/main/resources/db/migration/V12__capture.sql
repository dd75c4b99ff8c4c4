-- Data capture in the database every replica shares: the samples devices upload, the datasets
-- packed from them, the packing lease per model version and day, and the capture policies.

-- One row per (device, sample id): the primary key makes a resend, to any replica, a no-op.
-- The sample's JSON is kept until it is packed, then only the row stays (for dedup and the caps)
-- until the dataset it went into expires.
CREATE TABLE capture_sample (
    device_id   VARCHAR(128) NOT NULL,
    sample_id   VARCHAR(64) NOT NULL,
    model       VARCHAR(128) NOT NULL,
    version     VARCHAR(128) NOT NULL,
    utc_day     DATE NOT NULL,
    captured_at TIMESTAMP WITH TIME ZONE NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    bytes       BIGINT NOT NULL,
    body        TEXT,
    dataset     VARCHAR(160),
    PRIMARY KEY (device_id, sample_id)
);

CREATE INDEX capture_sample_day ON capture_sample (model, version, utc_day);
CREATE INDEX capture_sample_device ON capture_sample (device_id, model, captured_at);

-- A dataset artifact pushed to the registry; retention counts from created_at.
CREATE TABLE capture_dataset (
    model      VARCHAR(128) NOT NULL,
    version    VARCHAR(128) NOT NULL,
    name       VARCHAR(160) NOT NULL,
    reference  TEXT NOT NULL,
    digest     VARCHAR(71) NOT NULL,
    samples    INT NOT NULL,
    devices    TEXT NOT NULL,
    from_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    to_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (model, name)
);

CREATE INDEX capture_dataset_created ON capture_dataset (created_at);

-- The lease row of a model version's day: a replica packs that day only while it holds the row
-- locked (FOR UPDATE SKIP LOCKED), so two replicas never pack the same samples.
CREATE TABLE capture_day (
    model   VARCHAR(128) NOT NULL,
    version VARCHAR(128) NOT NULL,
    utc_day DATE NOT NULL,
    PRIMARY KEY (model, version, utc_day)
);

-- Capture policies per release version and per rollout; a rollout's wins for its devices.
CREATE TABLE capture_policy_version (
    model   VARCHAR(128) NOT NULL,
    version VARCHAR(128) NOT NULL,
    policy  TEXT NOT NULL,
    PRIMARY KEY (model, version),
    FOREIGN KEY (model, version) REFERENCES model_release (model, version)
);

CREATE TABLE capture_policy_rollout (
    rollout_id VARCHAR(36) PRIMARY KEY REFERENCES rollout (id),
    policy     TEXT NOT NULL
);
