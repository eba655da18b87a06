-- +goose Up

-- A line's first sighting moves from the event table onto the line, which records it once when
-- the line is inserted and never changes it: the first status, the platform code and change
-- time it came with, and when it was seen. The event table keeps the changes after it and is
-- renamed line_status_changes; line_status_events is now a view of both, the same history
-- with the same columns as before, for every reader. A backfill writes a line's first event
-- with the line instead of as a row and an index entry of its own: 406,000 of the 1.57 million
-- rows a 400,000-line backfill wrote.
ALTER TABLE line_status_events RENAME TO line_status_changes;
ALTER TABLE line_status_changes RENAME CONSTRAINT line_status_events_pkey TO line_status_changes_pkey;

ALTER TABLE order_lines
    ADD COLUMN first_status        text,
    ADD COLUMN first_platform_code text,
    ADD COLUMN first_changed_at    timestamptz,
    ADD COLUMN first_seen_at       timestamptz;

UPDATE order_lines l SET first_status = e.to_status, first_platform_code = e.platform_code,
    first_changed_at = e.changed_at, first_seen_at = e.seen_at
FROM line_status_changes e WHERE e.line_id = l.id AND e.from_status IS NULL;
DELETE FROM line_status_changes WHERE from_status IS NULL;
-- Every line has had its first event since 00001; one that had none would start from its
-- present state.
UPDATE order_lines SET first_status = status, first_platform_code = platform_status,
    first_changed_at = changed_at, first_seen_at = updated_at
WHERE first_status IS NULL;
ALTER TABLE order_lines
    ALTER COLUMN first_status SET NOT NULL,
    ALTER COLUMN first_platform_code SET NOT NULL,
    ALTER COLUMN first_changed_at SET NOT NULL,
    ALTER COLUMN first_seen_at SET NOT NULL;

-- from_status is NULL on a line's first event and only there. Neither branch has a WHERE
-- clause: that keeps the view a plain append of the two tables, so a join on line_id reaches
-- each through its index (with one, PostgreSQL scans all order_lines for every line joined).
CREATE VIEW line_status_events AS
    SELECT id AS line_id, first_changed_at AS changed_at, first_platform_code AS platform_code,
        NULL::text AS from_status, first_status AS to_status, first_seen_at AS seen_at, true AS applied
    FROM order_lines
    UNION ALL
    SELECT line_id, changed_at, platform_code, from_status, to_status, seen_at, applied
    FROM line_status_changes;

-- +goose Down
DROP VIEW line_status_events;

INSERT INTO line_status_changes (line_id, changed_at, platform_code, from_status, to_status, seen_at, applied)
SELECT id, first_changed_at, first_platform_code, NULL, first_status, first_seen_at, true
FROM order_lines
ON CONFLICT (line_id, changed_at, platform_code) DO NOTHING;

ALTER TABLE order_lines
    DROP COLUMN first_status,
    DROP COLUMN first_platform_code,
    DROP COLUMN first_changed_at,
    DROP COLUMN first_seen_at;

ALTER TABLE line_status_changes RENAME CONSTRAINT line_status_changes_pkey TO line_status_events_pkey;
ALTER TABLE line_status_changes RENAME TO line_status_events;
