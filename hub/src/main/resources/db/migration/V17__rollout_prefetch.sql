-- Release prefetch: a rollout whose strategy says prefetch sends its release, once started, to the
-- devices still waiting for their wave, to fetch and verify into their cache ahead of it.
ALTER TABLE rollout ADD COLUMN prefetch BOOLEAN NOT NULL DEFAULT FALSE;
-- whether the device's desired state was signed with the rollout's prefetch while it waits: the
-- fan-out's progress in sending the prefetch, and in withdrawing it when the rollout ends early
ALTER TABLE rollout_device ADD COLUMN prefetch_sent BOOLEAN NOT NULL DEFAULT FALSE;
-- when the device reported the rollout's release fetched and verified into its cache (PREFETCHED)
ALTER TABLE rollout_device ADD COLUMN prefetched_at TIMESTAMP WITH TIME ZONE;
