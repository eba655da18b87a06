-- +goose Up

-- The agents' search box (postgres.OrderReader.SearchOrders): every arm of the search is an
-- index probe. Order numbers alone (an agent rarely knows the mall), phone digits (all of them,
-- or the last four, newest first so a common suffix stops at the LIMIT), names by prefix
-- (text_pattern_ops, whatever the collation) and product names by substring (trigrams).
-- Tracking numbers are indexed already (shipments_tracking, order_lines_tracking).

CREATE INDEX orders_platform_order_id ON orders (platform_order_id);

-- The digits of a phone as typed on any platform ("010-1234-5678", "01012345678",
-- "+82 10 ..." keeps its digits): the index expressions and the queries call this one function.
CREATE FUNCTION phone_digits(phone text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN regexp_replace(phone, '[^0-9]', '', 'g');

-- A full phone is looked up through its last four digits too (then compared whole): about 50
-- orders share a suffix in a million lines, and two fewer indexes keep the sync's writes cheaper.
CREATE INDEX orders_buyer_phone_last4 ON orders (right(phone_digits(buyer_phone), 4), ordered_at DESC) INCLUDE (id)
    WHERE buyer_phone <> '';
CREATE INDEX orders_receiver_phone_last4 ON orders (right(phone_digits(receiver_phone), 4), ordered_at DESC) INCLUDE (id)
    WHERE receiver_phone <> '';
-- Each search arm reads only (id, ordered_at) of the orders it matches: included in the
-- indexes, a common prefix ("김민", thousands of orders) is sorted from the index alone.
CREATE INDEX orders_buyer_name ON orders (buyer_name text_pattern_ops) INCLUDE (ordered_at, id) WHERE buyer_name <> '';
CREATE INDEX orders_receiver_name ON orders (receiver_name text_pattern_ops) INCLUDE (ordered_at, id) WHERE receiver_name <> '';

-- pg_trgm is installed once per database, in public, not in this migration's schema:
-- an extension belongs to the whole database, and tests migrate one schema each (pgtest) in
-- one database, many at once. Created in a test's schema it would be dropped with that schema
-- (DROP SCHEMA ... CASCADE), taking every other schema's trigram index with it. Two schemas
-- creating it at the same moment would collide on pg_extension's unique name (IF NOT EXISTS
-- does not guard against a concurrent CREATE): the advisory lock, held to the end of this
-- migration's transaction, makes the second wait and then find it. Where the extension was
-- installed before in another schema it is used from there, hence the dynamic opclass name.
-- +goose StatementBegin
DO $$
DECLARE
    trgm_schema name;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('mallsync: create extension pg_trgm'));
    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    SELECT n.nspname INTO STRICT trgm_schema
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX order_lines_product_trgm ON order_lines USING gin (product_name %I.gin_trgm_ops)',
        trgm_schema);
END
$$;
-- +goose StatementEnd

-- +goose Down
-- The extension stays: other schemas of the database (other tests, another environment) may
-- have trigram indexes on it, which dropping it would refuse or cascade to.
DROP INDEX order_lines_product_trgm;
DROP INDEX orders_receiver_name;
DROP INDEX orders_buyer_name;
DROP INDEX orders_receiver_phone_last4;
DROP INDEX orders_buyer_phone_last4;
DROP FUNCTION phone_digits(text);
DROP INDEX orders_platform_order_id;
