-- Metric gates compare like with like: what a rollout's devices served is summed per version and
-- per execution provider (a device serves the variant of a release that fits its best provider,
-- so a provider names the variant; and the previous version ran on the same provider there).
-- Totals summed before this migration keep an empty provider.
CREATE TABLE rollout_provider_metrics (
    rollout_id VARCHAR(36) NOT NULL REFERENCES rollout (id),
    version    VARCHAR(128) NOT NULL,
    provider   VARCHAR(64) NOT NULL,
    requests   BIGINT NOT NULL,
    errors     BIGINT NOT NULL,
    latency    TEXT NOT NULL,
    PRIMARY KEY (rollout_id, version, provider)
);

INSERT INTO rollout_provider_metrics (rollout_id, version, provider, requests, errors, latency)
    SELECT rollout_id, version, '', requests, errors, latency FROM rollout_metrics;

DROP TABLE rollout_metrics;
