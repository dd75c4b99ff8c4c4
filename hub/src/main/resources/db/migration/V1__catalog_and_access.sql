-- Portable SQL: runs on PostgreSQL and on H2 in PostgreSQL mode.
CREATE TABLE model (
    name             VARCHAR(128) PRIMARY KEY,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_release_seq BIGINT NOT NULL
);

CREATE TABLE model_release (
    model           VARCHAR(128) NOT NULL REFERENCES model (name),
    version         VARCHAR(128) NOT NULL,
    release_seq     BIGINT NOT NULL,
    repository      VARCHAR(512) NOT NULL,
    manifest_digest VARCHAR(71) NOT NULL,
    size_bytes      BIGINT NOT NULL,
    description     TEXT,
    license         VARCHAR(128),
    serving         TEXT NOT NULL,
    statement       TEXT NOT NULL,
    created_by      VARCHAR(128) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (model, version),
    UNIQUE (model, release_seq)
);

CREATE TABLE api_token (
    name         VARCHAR(128) PRIMARY KEY,
    role         VARCHAR(32) NOT NULL,
    token_sha256 VARCHAR(64) NOT NULL UNIQUE,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
