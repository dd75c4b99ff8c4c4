-- Metric gates compare like with like: what a rollout's devices served is summed per version,
-- execution provider and release variant, since two variants of one version may run on the same
-- provider (an FP32 and an FP16 CPU variant) and a worse one must not hide behind the other.
-- An empty variant is the release's only or default one: telemetry that names none (a release of
-- one model file, or an older agent), and every total summed before this migration.
CREATE TABLE rollout_variant_metrics (
    rollout_id VARCHAR(36) NOT NULL REFERENCES rollout (id),
    version    VARCHAR(128) NOT NULL,
    provider   VARCHAR(64) NOT NULL,
    variant    VARCHAR(64) NOT NULL,
    requests   BIGINT NOT NULL,
    errors     BIGINT NOT NULL,
    latency    TEXT NOT NULL,
    PRIMARY KEY (rollout_id, version, provider, variant)
);

INSERT INTO rollout_variant_metrics
        (rollout_id, version, provider, variant, requests, errors, latency)
    SELECT rollout_id, version, provider, '', requests, errors, latency
    FROM rollout_provider_metrics;

DROP TABLE rollout_provider_metrics;
