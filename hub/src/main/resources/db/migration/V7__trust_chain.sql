-- The chain of signed trust roots the hub hands to devices, versions 1..N: each row's root was
-- verified against the one before it (N+1, signed by a threshold of the root keys of both).
CREATE TABLE trust_root (
    version  INTEGER PRIMARY KEY,
    envelope TEXT NOT NULL,
    added_at TIMESTAMP WITH TIME ZONE NOT NULL
);
