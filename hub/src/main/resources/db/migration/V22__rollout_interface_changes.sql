-- What a rollout changes for the local clients of its devices, found when it is made: per release
-- its devices were assigned then, the changes of inputs and outputs that break a client of that
-- release (JSON, an array of {from, devices, changes}). NULL: none, or a rollout made before.
ALTER TABLE rollout ADD COLUMN interface_changes TEXT;
