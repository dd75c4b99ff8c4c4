-- A sample's JSON moves to a table of its own, kept until the sample is packed: the caps count a
-- device's stored samples on every upload (SELECT COUNT, SUM(bytes) of capture_sample), and with
-- the ~150 KB body in the same row the embedded database read every body to count them, so an
-- upload took longer the more the device had sent that day. A sample waits to be packed while
-- its dataset is null (its body row exists exactly then).
CREATE TABLE capture_sample_body (
    device_id VARCHAR(128) NOT NULL,
    sample_id VARCHAR(64) NOT NULL,
    body      TEXT NOT NULL,
    PRIMARY KEY (device_id, sample_id),
    FOREIGN KEY (device_id, sample_id) REFERENCES capture_sample (device_id, sample_id)
);

INSERT INTO capture_sample_body (device_id, sample_id, body)
    SELECT device_id, sample_id, body FROM capture_sample WHERE body IS NOT NULL;

ALTER TABLE capture_sample DROP COLUMN body;
