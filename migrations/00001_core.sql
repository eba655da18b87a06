-- +goose Up
-- The core of mallsync: malls, their credentials, orders and lines with their status history,
-- sync cursors, quarantined records and the outbox. Times are UTC timestamptz; money is whole won.

CREATE TABLE malls (
    id          bigserial PRIMARY KEY,
    key         text NOT NULL UNIQUE,
    name        text NOT NULL,
    platform    text NOT NULL,
    -- the mall as applied from its mall file (account, sync, ownership, contacts, policy)
    definition  jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Credentials are sealed with AES-GCM (key from the environment); the ref is the associated
-- data, so a sealed blob cannot be moved to another row.
CREATE TABLE credentials (
    ref                 text PRIMARY KEY,
    sealed              bytea NOT NULL,
    access_expires_at   timestamptz,
    refresh_expires_at  timestamptz,
    rotations           bigint NOT NULL DEFAULT 0,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id                  bigserial PRIMARY KEY,
    mall_id             bigint NOT NULL REFERENCES malls (id),
    platform_order_id   text NOT NULL,
    channel             text NOT NULL DEFAULT '',
    ordered_at          timestamptz NOT NULL,
    paid_at             timestamptz,
    buyer_name          text NOT NULL DEFAULT '',
    buyer_phone         text NOT NULL DEFAULT '',
    buyer_email         text NOT NULL DEFAULT '',
    receiver_name       text NOT NULL DEFAULT '',
    receiver_phone      text NOT NULL DEFAULT '',
    receiver_zipcode    text NOT NULL DEFAULT '',
    receiver_address    text NOT NULL DEFAULT '',
    payment_amount      bigint NOT NULL DEFAULT 0,
    shipping_fee        bigint NOT NULL DEFAULT 0,
    changed_at          timestamptz NOT NULL,
    -- the platform's JSON for the order, lines included, byte for byte as received. Stored as
    -- text (the connector decoded it, so it is valid JSON; cast with raw::jsonb to query it):
    -- parsing it again on every write would cost more than the rest of the order row.
    -- raw_hash lets a re-fetch of an unchanged order skip the write.
    raw                 text NOT NULL,
    raw_hash            text NOT NULL,
    first_seen_at       timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (mall_id, platform_order_id)
);
ALTER TABLE orders ALTER COLUMN raw SET COMPRESSION lz4;

CREATE TABLE order_lines (
    id                  bigserial PRIMARY KEY,
    mall_id             bigint NOT NULL,
    platform_order_id   text NOT NULL,
    platform_line_id    text NOT NULL,
    product_no          text NOT NULL DEFAULT '',
    product_code        text NOT NULL DEFAULT '',
    variant_code        text NOT NULL DEFAULT '',
    sku                 text NOT NULL DEFAULT '',
    product_name        text NOT NULL DEFAULT '',
    option_value        text NOT NULL DEFAULT '',
    brand               text NOT NULL DEFAULT '',
    supplier_code       text NOT NULL DEFAULT '',
    supplier_name       text NOT NULL DEFAULT '',
    quantity            integer NOT NULL,
    unit_price          bigint NOT NULL DEFAULT 0,
    payment_amount      bigint NOT NULL DEFAULT 0,
    status              text NOT NULL,
    platform_status     text NOT NULL,
    ownership           text NOT NULL,
    claim_code          text NOT NULL DEFAULT '',
    claim_kind          text NOT NULL DEFAULT '',
    claim_status        text NOT NULL DEFAULT '',
    carrier_code        text NOT NULL DEFAULT '',
    tracking_no         text NOT NULL DEFAULT '',
    shipped_at          timestamptz,
    delivered_at        timestamptz,
    changed_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- No foreign key to orders: ApplyPage writes an order and its lines in one transaction,
    -- and a per-row key check would cost a fifth of the page's write time.
    UNIQUE (mall_id, platform_line_id),
    CHECK (status IN ('pending_payment', 'paid', 'preparing', 'shipped', 'delivered', 'confirmed',
                      'canceled', 'returned', 'exchanged')),
    CHECK (ownership IN ('consignment', 'direct', 'logistics'))
);
CREATE INDEX order_lines_order ON order_lines (mall_id, platform_order_id);

-- Append-only history of every status a line was seen in. applied = false records a change
-- that arrived older than what was stored and so did not overwrite it. Written only by
-- ApplyPage, in the transaction that writes the line (hence no per-row foreign key check).
CREATE TABLE line_status_events (
    line_id         bigint NOT NULL,
    changed_at      timestamptz NOT NULL,
    platform_code   text NOT NULL,
    from_status     text,
    to_status       text NOT NULL,
    seen_at         timestamptz NOT NULL DEFAULT now(),
    applied         boolean NOT NULL,
    -- a line's timeline is this key's order; the same event seen again is not recorded twice
    PRIMARY KEY (line_id, changed_at, platform_code)
);

CREATE TABLE sync_cursors (
    mall_id             bigint NOT NULL REFERENCES malls (id),
    stream              text NOT NULL,
    cursor              text NOT NULL DEFAULT '',
    seq                 bigint NOT NULL DEFAULT 0,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    -- health of the latest runs, for operators
    last_run_at         timestamptz,
    last_success_at     timestamptz,
    last_caught_up_at   timestamptz,
    last_error          text NOT NULL DEFAULT '',
    last_error_at       timestamptz,
    runs                bigint NOT NULL DEFAULT 0,
    pages               bigint NOT NULL DEFAULT 0,
    lines               bigint NOT NULL DEFAULT 0,
    api_calls           bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (mall_id, stream)
);

-- Platform records that did not map, kept raw with the reason. One row per record; seen
-- again, it counts up instead of piling up.
CREATE TABLE quarantine (
    id              bigserial PRIMARY KEY,
    mall_id         bigint NOT NULL REFERENCES malls (id),
    stream          text NOT NULL,
    resource        text NOT NULL,
    platform_id     text NOT NULL,
    reason          text NOT NULL,
    raw             text NOT NULL,
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    seen_count      bigint NOT NULL DEFAULT 1,
    UNIQUE (mall_id, resource, platform_id)
);

-- Transactional outbox: rows written in the same transaction as the change a workflow must
-- hear about, delivered by a dispatcher activity and then marked sent.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    mall_id     bigint NOT NULL REFERENCES malls (id),
    kind        text NOT NULL,
    key         text NOT NULL,
    payload     jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE outbox;
DROP TABLE quarantine;
DROP TABLE sync_cursors;
DROP TABLE line_status_events;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE credentials;
DROP TABLE malls;
