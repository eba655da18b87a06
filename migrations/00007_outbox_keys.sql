-- +goose Up

-- The sync writes an outbox row per claim change in the transaction that stores it, keyed by
-- the claim, its platform status and change time: a page read twice (a retried activity, a
-- lookback window) finds the row there and writes nothing.
CREATE UNIQUE INDEX outbox_key ON outbox (mall_id, kind, key);

-- +goose Down
DROP INDEX outbox_key;
