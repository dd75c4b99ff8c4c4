-- The sweep that publishes desired states left unpublished (RolloutEngine, every tick) reads the
-- unpublished ones by issue time; without an index it read the whole table (every device's last
-- envelope, and the versions of it updates leave behind) on every tick, beside the fan-out that
-- writes it.
CREATE INDEX desired_state_unpublished ON desired_state (published, issued_at);
