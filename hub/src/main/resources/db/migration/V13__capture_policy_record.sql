-- Which capture policy each sample was taken under, so a dataset names the policy its samples
-- came under (a rollout's or the release version's), not whichever policy the version has now.

-- A policy as it was in force: its scope (a rollout, or the release version when rollout_id is
-- null) and its JSON as set. The digest covers both; the row stays when the policy changes or the
-- rollout goes, since datasets name it.
CREATE TABLE capture_policy_record (
    digest     VARCHAR(71) PRIMARY KEY,
    rollout_id VARCHAR(36),
    policy     TEXT NOT NULL
);

-- Null for samples stored before this column existed: their policy is not known.
ALTER TABLE capture_sample ADD COLUMN policy_digest VARCHAR(71);
