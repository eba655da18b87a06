-- +goose Up

-- Pre-shipped reorders (기출하): an order linked to the earlier, delivered order of the same
-- mall whose parcel already carried its goods. The sync's line upsert looks a page's orders up
-- here (one primary-key probe per line that changes status) and records no reserve, release or
-- issue movement for the lines of a reorder. The reorder's shipment is a shipments row of kind
-- 'preshipped' (platform_shipment_id 'preshipped/<order>') reusing the original's carrier and
-- tracking number, written by postgres.ReorderStore.MarkReorder in the transaction of the link.
CREATE TABLE reorders (
    mall_id             bigint NOT NULL REFERENCES malls (id),
    platform_order_id   text NOT NULL,
    original_order_id   text NOT NULL,
    source              text NOT NULL,
    marked_by           text NOT NULL,
    marked_at           timestamptz NOT NULL,
    carrier_code        text NOT NULL,
    tracking_no         text NOT NULL,
    -- how many open reservations the marking released
    released            integer NOT NULL DEFAULT 0,
    -- the dispatch write-back: write_done is NULL until one is recorded
    write_done          boolean,
    write_already_done  boolean NOT NULL DEFAULT false,
    write_code          text NOT NULL DEFAULT '',
    write_message       text NOT NULL DEFAULT '',
    written_at          timestamptz,
    PRIMARY KEY (mall_id, platform_order_id),
    CHECK (platform_order_id <> original_order_id),
    CHECK (source IN ('agent', 'rule'))
);
CREATE INDEX reorders_original ON reorders (mall_id, original_order_id);

-- +goose Down
DROP TABLE reorders;
