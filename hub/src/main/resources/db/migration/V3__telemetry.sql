-- Telemetry batches already counted, so that a batch delivered twice is counted once.
CREATE TABLE telemetry_seen (
    device_id   VARCHAR(128) NOT NULL,
    seq         BIGINT NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (device_id, seq)
);

-- What the fleet served per model version and minute (the bucket's start).
CREATE TABLE model_metrics (
    model        VARCHAR(128) NOT NULL,
    version      VARCHAR(128) NOT NULL,
    bucket_start TIMESTAMP WITH TIME ZONE NOT NULL,
    requests     BIGINT NOT NULL,
    errors       BIGINT NOT NULL,
    -- counts over LatencyHistogram.STANDARD_BOUNDS_MILLIS plus overflow, comma-separated
    latency      TEXT NOT NULL,
    PRIMARY KEY (model, version, bucket_start)
);

CREATE TABLE model_metric_errors (
    model        VARCHAR(128) NOT NULL,
    version      VARCHAR(128) NOT NULL,
    bucket_start TIMESTAMP WITH TIME ZONE NOT NULL,
    reason       VARCHAR(128) NOT NULL,
    count        BIGINT NOT NULL,
    PRIMARY KEY (model, version, bucket_start, reason)
);

-- The latest telemetry of each device.
CREATE TABLE device_telemetry (
    device_id       VARCHAR(128) PRIMARY KEY,
    last_seq        BIGINT NOT NULL,
    received_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    dropped_batches BIGINT NOT NULL,
    metrics         TEXT
);

CREATE INDEX model_metrics_time ON model_metrics (bucket_start);
CREATE INDEX telemetry_seen_time ON telemetry_seen (received_at);
