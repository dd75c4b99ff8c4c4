-- Device identity: enrollment tokens, enrolled devices and the certificates the device CA issued.
CREATE TABLE enrollment_token (
    id           VARCHAR(36) PRIMARY KEY,
    token_sha256 VARCHAR(64) NOT NULL UNIQUE,
    device_id    VARCHAR(128),
    labels       TEXT NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    uses_left    INTEGER NOT NULL,
    created_by   VARCHAR(128) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row per device id that asked to enroll; the key it enrolled with, its broker password's
-- hash once credentials were handed out, its current certificate.
CREATE TABLE device_identity (
    device_id         VARCHAR(128) PRIMARY KEY,
    state             VARCHAR(16) NOT NULL,
    token_id          VARCHAR(36) NOT NULL,
    public_key_sha256 VARCHAR(64) NOT NULL,
    password_sha256   VARCHAR(64),
    enrolled_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    accepted_at       TIMESTAMP WITH TIME ZONE,
    revoked_at        TIMESTAMP WITH TIME ZONE,
    cert_serial       VARCHAR(40),
    cert_not_after    TIMESTAMP WITH TIME ZONE
);

CREATE TABLE device_certificate (
    serial     VARCHAR(40) PRIMARY KEY,
    device_id  VARCHAR(128) NOT NULL,
    issued_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at TIMESTAMP WITH TIME ZONE
);

CREATE INDEX device_certificate_device ON device_certificate (device_id);
