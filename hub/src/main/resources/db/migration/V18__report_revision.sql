-- A rollout reads a device's reported state again only once it changed: the device counts its
-- reports (reported_rev, one more for each report stored), and each of its rollout rows keeps the
-- count it last read (report_rev; NULL: not read since the row was last assigned or set).
ALTER TABLE device ADD COLUMN reported_rev BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rollout_device ADD COLUMN report_rev BIGINT;
