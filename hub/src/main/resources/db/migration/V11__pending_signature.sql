-- Signing with the release key offline: a release is recorded PENDING_SIGNATURE with the exact
-- statement payload to sign (and its manifest, tagged once signed) until its signature is attached;
-- the revocation list likewise keeps the payload of its next version until it is signed.
ALTER TABLE model_release ADD COLUMN state VARCHAR(24) NOT NULL DEFAULT 'PUBLISHED';
ALTER TABLE model_release ADD COLUMN pending_statement TEXT;
ALTER TABLE model_release ADD COLUMN pending_manifest TEXT;
ALTER TABLE model_release ALTER COLUMN statement DROP NOT NULL;
ALTER TABLE revocation_list ADD COLUMN pending_payload TEXT;
