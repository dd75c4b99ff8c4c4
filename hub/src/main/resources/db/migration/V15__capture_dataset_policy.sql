-- Which capture policy a dataset's samples came under, so the listing names it as the dataset's
-- annotations do: the digest of its capture_policy_record row, null when not known (samples
-- stored before V13). Datasets packed before this column existed take it from their samples,
-- whose rows stay until the dataset expires.
ALTER TABLE capture_dataset ADD COLUMN policy_digest VARCHAR(71);

UPDATE capture_dataset SET policy_digest = (
    SELECT MIN(s.policy_digest) FROM capture_sample s
    WHERE s.model = capture_dataset.model AND s.dataset = capture_dataset.name);
