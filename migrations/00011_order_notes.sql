-- +goose Up

-- Notes agents leave on an order (the order page's "note" action): who, when, what. Append-only
-- like the audit log: a note is corrected by another note.
CREATE TABLE order_notes (
    id                  bigserial PRIMARY KEY,
    mall_id             bigint NOT NULL REFERENCES malls (id),
    platform_order_id   text NOT NULL,
    author              text NOT NULL,
    body                text NOT NULL CHECK (body <> ''),
    at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_notes_order ON order_notes (mall_id, platform_order_id, at, id);

-- +goose Down
DROP TABLE order_notes;
