-- Devices as they report themselves, the models assigned to each, and the desired states sent.
CREATE TABLE device (
    id            VARCHAR(128) PRIMARY KEY,
    labels        TEXT NOT NULL,
    online        BOOLEAN NOT NULL,
    last_seen     TIMESTAMP WITH TIME ZONE,
    reported      TEXT
);

CREATE TABLE assignment (
    device_id  VARCHAR(128) NOT NULL REFERENCES device (id),
    model      VARCHAR(128) NOT NULL,
    version    VARCHAR(128) NOT NULL,
    rollout_id VARCHAR(36) NOT NULL,
    PRIMARY KEY (device_id, model),
    FOREIGN KEY (model, version) REFERENCES model_release (model, version)
);

CREATE TABLE desired_state (
    device_id  VARCHAR(128) PRIMARY KEY REFERENCES device (id),
    sequence   BIGINT NOT NULL,
    issued_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    envelope   TEXT NOT NULL
);

CREATE TABLE rollout (
    id         VARCHAR(36) PRIMARY KEY,
    model      VARCHAR(128) NOT NULL,
    version    VARCHAR(128) NOT NULL,
    selector   TEXT,
    devices    TEXT NOT NULL,
    created_by VARCHAR(128) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    FOREIGN KEY (model, version) REFERENCES model_release (model, version)
);
