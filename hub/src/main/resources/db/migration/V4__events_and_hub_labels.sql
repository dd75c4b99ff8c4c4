-- Every update event devices report, once per event id.
CREATE TABLE device_event (
    id               VARCHAR(128) PRIMARY KEY,
    device_id        VARCHAR(128) NOT NULL,
    at               TIMESTAMP WITH TIME ZONE NOT NULL,
    type             VARCHAR(32) NOT NULL,
    desired_sequence BIGINT NOT NULL,
    model            VARCHAR(128),
    version          VARCHAR(128),
    bytes_done       BIGINT,
    bytes_total      BIGINT,
    reason           TEXT,
    received_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX device_event_device ON device_event (device_id, at);
CREATE INDEX device_event_model ON device_event (model, at);
CREATE INDEX device_event_received ON device_event (received_at);

-- Labels set through the hub's API; they override the labels a device reports.
ALTER TABLE device ADD COLUMN hub_labels TEXT NOT NULL DEFAULT '{}';
