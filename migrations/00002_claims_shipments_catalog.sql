-- +goose Up

-- A parcel: a carrier's tracking number over lines of an order. Forward shipments, return
-- pickups, re-shipments and pre-shipped reorders alike (kind).
CREATE TABLE shipments (
    id                    bigserial PRIMARY KEY,
    mall_id               bigint NOT NULL REFERENCES malls (id),
    platform_shipment_id  text NOT NULL,
    platform_order_id     text NOT NULL,
    kind                  text NOT NULL,
    carrier_code          text NOT NULL DEFAULT '',
    tracking_no           text NOT NULL DEFAULT '',
    platform_status       text NOT NULL DEFAULT '',
    shipped_at            timestamptz,
    delivered_at          timestamptz,
    changed_at            timestamptz NOT NULL,
    seen_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (mall_id, platform_shipment_id),
    CHECK (kind IN ('forward', 'return_pickup', 'reshipment', 'preshipped'))
);
CREATE INDEX shipments_order ON shipments (mall_id, platform_order_id);
CREATE INDEX shipments_tracking ON shipments (tracking_no) WHERE tracking_no <> '';

-- The lines a parcel carries; a line may travel in several (forward, pickup, re-shipment).
CREATE TABLE shipment_lines (
    mall_id               bigint NOT NULL,
    platform_shipment_id  text NOT NULL,
    platform_line_id      text NOT NULL,
    PRIMARY KEY (mall_id, platform_shipment_id, platform_line_id)
);
CREATE INDEX shipment_lines_line ON shipment_lines (mall_id, platform_line_id);

-- Cancellations, returns and exchanges as the platform reports them.
CREATE TABLE claims (
    id                    bigserial PRIMARY KEY,
    mall_id               bigint NOT NULL REFERENCES malls (id),
    platform_claim_id     text NOT NULL,
    platform_order_id     text NOT NULL,
    kind                  text NOT NULL,
    status                text NOT NULL,
    platform_status       text NOT NULL,
    reason_type           text NOT NULL DEFAULT '',
    reason                text NOT NULL DEFAULT '',
    fault_party           text NOT NULL DEFAULT '',
    return_carrier_code   text NOT NULL DEFAULT '',
    return_tracking_no    text NOT NULL DEFAULT '',
    requested_at          timestamptz,
    changed_at            timestamptz NOT NULL,
    raw                   text NOT NULL DEFAULT '{}',
    seen_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (mall_id, platform_claim_id),
    CHECK (kind IN ('cancel', 'return', 'exchange')),
    CHECK (status IN ('requested', 'accepted', 'collecting', 'collected', 'inspecting', 'approved',
                      'rejected', 'completed', 'withdrawn', 'on_hold'))
);
CREATE INDEX claims_order ON claims (mall_id, platform_order_id);
CREATE INDEX claims_open ON claims (mall_id, changed_at)
    WHERE status NOT IN ('completed', 'rejected', 'withdrawn');

CREATE TABLE claim_lines (
    mall_id               bigint NOT NULL,
    platform_claim_id     text NOT NULL,
    platform_line_id      text NOT NULL,
    quantity              integer NOT NULL,
    platform_status       text NOT NULL DEFAULT '',
    PRIMARY KEY (mall_id, platform_claim_id, platform_line_id)
);
CREATE INDEX claim_lines_line ON claim_lines (mall_id, platform_line_id);

-- Append-only history of every status a claim was seen in, like line_status_events.
CREATE TABLE claim_status_events (
    claim_id        bigint NOT NULL,
    changed_at      timestamptz NOT NULL,
    platform_code   text NOT NULL,
    from_status     text,
    to_status       text NOT NULL,
    seen_at         timestamptz NOT NULL DEFAULT now(),
    applied         boolean NOT NULL,
    PRIMARY KEY (claim_id, changed_at, platform_code)
);

CREATE TABLE refunds (
    id                    bigserial PRIMARY KEY,
    mall_id               bigint NOT NULL REFERENCES malls (id),
    platform_refund_id    text NOT NULL,
    platform_order_id     text NOT NULL,
    platform_claim_id     text NOT NULL DEFAULT '',
    amount                bigint NOT NULL,
    done                  boolean NOT NULL,
    refunded_at           timestamptz,
    changed_at            timestamptz NOT NULL,
    raw                   text NOT NULL DEFAULT '{}',
    seen_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (mall_id, platform_refund_id)
);
CREATE INDEX refunds_order ON refunds (mall_id, platform_order_id);

CREATE TABLE refund_lines (
    mall_id               bigint NOT NULL,
    platform_refund_id    text NOT NULL,
    platform_line_id      text NOT NULL,
    PRIMARY KEY (mall_id, platform_refund_id, platform_line_id)
);

-- The platform's suppliers: trading_type is an input to ownership.
CREATE TABLE suppliers (
    mall_id               bigint NOT NULL REFERENCES malls (id),
    code                  text NOT NULL,
    name                  text NOT NULL DEFAULT '',
    trading_type          text NOT NULL DEFAULT '',
    payment_type          text NOT NULL DEFAULT '',
    seen_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (mall_id, code)
);

CREATE TABLE products (
    mall_id               bigint NOT NULL REFERENCES malls (id),
    product_no            text NOT NULL,
    product_code          text NOT NULL DEFAULT '',
    name                  text NOT NULL DEFAULT '',
    supplier_code         text NOT NULL DEFAULT '',
    shipping_type         text NOT NULL DEFAULT '',
    price                 bigint NOT NULL DEFAULT 0,
    changed_at            timestamptz,
    raw                   text NOT NULL DEFAULT '{}',
    seen_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (mall_id, product_no)
);
CREATE INDEX products_code ON products (mall_id, product_code);

-- Variants with the platform's stock figures as last seen (our own ledger is another table).
CREATE TABLE variants (
    mall_id               bigint NOT NULL REFERENCES malls (id),
    variant_code          text NOT NULL,
    product_no            text NOT NULL,
    option_value          text NOT NULL DEFAULT '',
    use_inventory         boolean NOT NULL DEFAULT false,
    quantity              integer NOT NULL DEFAULT 0,
    safety_stock          integer NOT NULL DEFAULT 0,
    seen_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (mall_id, variant_code)
);

CREATE INDEX order_lines_claim ON order_lines (mall_id, claim_code) WHERE claim_code <> '';
CREATE INDEX order_lines_tracking ON order_lines (tracking_no) WHERE tracking_no <> '';

-- +goose Down
DROP INDEX order_lines_tracking;
DROP INDEX order_lines_claim;
DROP TABLE variants;
DROP TABLE products;
DROP TABLE suppliers;
DROP TABLE refund_lines;
DROP TABLE refunds;
DROP TABLE claim_status_events;
DROP TABLE claim_lines;
DROP TABLE claims;
DROP TABLE shipment_lines;
DROP TABLE shipments;
