-- The hub key that signed each desired state (its key id). After the hub key is rotated (a trust
-- root whose hub role no longer lists that key, and the hub restarted with the new one) the
-- re-signer signs again at once every state the devices would refuse, where it would otherwise
-- wait for each state's second half of validity: a device offline through the rotation would
-- refuse the state waiting for it on the broker for days. NULL: to be signed again, once (signed
-- before this column, by a key not recorded; or carrying a release statement signed again since).
ALTER TABLE desired_state ADD COLUMN key_id VARCHAR(64);
