-- Release revocation: a withdrawn release keeps its row, marked; the signed revocation list the
-- hub publishes is kept in one row, its version growing with every change and re-signing.
ALTER TABLE model_release ADD COLUMN revoked_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE model_release ADD COLUMN revoked_reason VARCHAR(500);
ALTER TABLE model_release ADD COLUMN revoked_by VARCHAR(128);

CREATE TABLE revocation_list (
    id       INTEGER PRIMARY KEY,
    version  BIGINT NOT NULL,
    envelope TEXT
);
INSERT INTO revocation_list (id, version, envelope) VALUES (1, 0, NULL);
