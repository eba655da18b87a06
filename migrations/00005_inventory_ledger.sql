-- +goose Up

-- The inventory ledger: append-only movements; stock per (SKU, location, ownership, supplier)
-- is their sum (postgres.LedgerStore.StockByOwnership). A mistake is undone by a new movement
-- that reverses it, never by changing or deleting a row: a trigger refuses UPDATE, DELETE and
-- TRUNCATE (only ResetMall, clearing a dev mall whose simulator data changed, may delete).
--
-- quantity is the movement's signed quantity as the domain states it (mallsync.Movement):
-- what it adds to on-hand stock, except for reserve and release, whose quantity is what they
-- add to reserved stock. reserved is what the movement adds to reserved stock: the quantity
-- for reserve and release, minus the line's open reservation for issue, 0 for the rest.
-- So on hand = sum(quantity) over the kinds other than reserve and release; reserved =
-- sum(reserved).
--
-- No foreign key to malls: sync writes a page's movements in the statement that writes its
-- lines, and a per-row key check would slow the backfill (order_lines has none either).
CREATE TABLE inventory_movements (
    mall_id             bigint NOT NULL,
    -- idempotency key, unique per mall ("line/<platform line id>/reserve",
    -- "return/<claim>/receipt/<line>"); byte order, so that a key prefix is an index range
    key                 text COLLATE "C" NOT NULL,
    kind                text NOT NULL,
    sku                 text NOT NULL,
    location            text NOT NULL,
    ownership           text NOT NULL,
    supplier            text NOT NULL DEFAULT '',
    quantity            integer NOT NULL,
    reserved            integer NOT NULL DEFAULT 0,
    platform_order_id   text NOT NULL DEFAULT '',
    platform_line_id    text NOT NULL DEFAULT '',
    claim_id            text NOT NULL DEFAULT '',
    -- the key of the movement this one undoes
    reverses            text COLLATE "C",
    reason              text NOT NULL DEFAULT '',
    -- when the movement happened (the line's change, the workflow's time); recorded_at is
    -- when the ledger learned of it
    at                  timestamptz NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (mall_id, key),
    CHECK (kind IN ('reserve', 'release', 'issue', 'receipt', 'quarantine', 'return_to_supplier', 'adjust')),
    CHECK (ownership IN ('consignment', 'direct', 'logistics')),
    CHECK (location <> ''),
    CHECK (kind = 'issue' OR reserved = CASE WHEN kind IN ('reserve', 'release') THEN quantity ELSE 0 END)
);
-- stock per (mall, sku, location, ownership, supplier), read from the index alone
CREATE INDEX inventory_movements_stock ON inventory_movements (mall_id, sku, location, ownership, supplier)
    INCLUDE (kind, quantity, reserved);
-- a movement is reversed at most once
CREATE UNIQUE INDEX inventory_movements_reverses ON inventory_movements (mall_id, reverses)
    WHERE reverses IS NOT NULL;

-- +goose StatementBegin
CREATE FUNCTION inventory_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('mallsync.reset_mall', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'inventory_movements is append-only: % refused (undo a movement by reversing it)', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER inventory_movements_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON inventory_movements
    FOR EACH STATEMENT EXECUTE FUNCTION inventory_movements_append_only();

-- +goose Down
DROP TABLE inventory_movements;
DROP FUNCTION inventory_movements_append_only();
