-- +goose Up

-- A parcel's lines move from their own table onto the parcel, as an array of platform line
-- ids in byte order. Every reader went from a parcel to its lines, never the other way, and
-- the table cost a backfill a row and two index entries per shipped line: 392,000 rows of the
-- 1.96 million a 400,000-line backfill wrote.
ALTER TABLE shipments ADD COLUMN line_ids text[] NOT NULL DEFAULT '{}';

UPDATE shipments s SET line_ids = l.ids
FROM (SELECT mall_id, platform_shipment_id, array_agg(platform_line_id ORDER BY platform_line_id COLLATE "C") AS ids
      FROM shipment_lines GROUP BY mall_id, platform_shipment_id) l
WHERE l.mall_id = s.mall_id AND l.platform_shipment_id = s.platform_shipment_id;

DROP TABLE shipment_lines;

-- +goose Down
CREATE TABLE shipment_lines (
    mall_id               bigint NOT NULL,
    platform_shipment_id  text NOT NULL,
    platform_line_id      text NOT NULL,
    PRIMARY KEY (mall_id, platform_shipment_id, platform_line_id)
);
CREATE INDEX shipment_lines_line ON shipment_lines (mall_id, platform_line_id);

INSERT INTO shipment_lines (mall_id, platform_shipment_id, platform_line_id)
SELECT DISTINCT s.mall_id, s.platform_shipment_id, l.id FROM shipments s, unnest(s.line_ids) AS l(id);

ALTER TABLE shipments DROP COLUMN line_ids;
