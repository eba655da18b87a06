-- +goose Up

-- The synced tables drop their foreign key to malls, as order_lines, line_status_events and
-- inventory_movements never had one: a key check is a trigger and a locking read of the mall
-- row for every row written, half a million of them in a 400,000-line backfill. Their rows
-- are written only by the sync (postgres.SyncStore), with the id it read from malls in the
-- same call, and malls are never deleted.
ALTER TABLE orders DROP CONSTRAINT orders_mall_id_fkey;
ALTER TABLE shipments DROP CONSTRAINT shipments_mall_id_fkey;
ALTER TABLE claims DROP CONSTRAINT claims_mall_id_fkey;
ALTER TABLE refunds DROP CONSTRAINT refunds_mall_id_fkey;
ALTER TABLE outbox DROP CONSTRAINT outbox_mall_id_fkey;

-- +goose Down
ALTER TABLE outbox ADD CONSTRAINT outbox_mall_id_fkey FOREIGN KEY (mall_id) REFERENCES malls (id);
ALTER TABLE refunds ADD CONSTRAINT refunds_mall_id_fkey FOREIGN KEY (mall_id) REFERENCES malls (id);
ALTER TABLE claims ADD CONSTRAINT claims_mall_id_fkey FOREIGN KEY (mall_id) REFERENCES malls (id);
ALTER TABLE shipments ADD CONSTRAINT shipments_mall_id_fkey FOREIGN KEY (mall_id) REFERENCES malls (id);
ALTER TABLE orders ADD CONSTRAINT orders_mall_id_fkey FOREIGN KEY (mall_id) REFERENCES malls (id);
