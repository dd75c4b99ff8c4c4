-- An API token may expire: refused from expires_at on; NULL never expires.
ALTER TABLE api_token ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
