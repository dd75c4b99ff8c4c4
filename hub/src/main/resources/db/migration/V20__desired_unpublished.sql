-- A desired state stored and not yet taken by the broker has a row here, from the commit that
-- stores it until its publish is acknowledged. Marking it published deletes this narrow row, where
-- it wrote the device's whole desired_state row again (its envelope, about 2.3 kB: 10,000 such
-- rows a rollout of 10,000 devices, each leaving a dead version behind); the sweep for states left
-- unpublished reads this table alone.
CREATE TABLE desired_unpublished (
    device_id VARCHAR(128) PRIMARY KEY REFERENCES desired_state (device_id),
    sequence  BIGINT NOT NULL,
    issued_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX desired_unpublished_issued ON desired_unpublished (issued_at);
INSERT INTO desired_unpublished (device_id, sequence, issued_at)
    SELECT device_id, sequence, issued_at FROM desired_state WHERE published = FALSE;
DROP INDEX desired_state_unpublished;
ALTER TABLE desired_state DROP COLUMN published;
