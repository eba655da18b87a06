-- +goose Up

-- The simulator data set a mall's synced rows came from (`mallsync dev`): when the simulator
-- makes another one (other arguments, another day, a newer generator), dev clears the mall's
-- rows first. It is kept beside the rows, so every dev that uses this database sees it.
CREATE TABLE sim_data_sets (
    mall_id      bigint PRIMARY KEY REFERENCES malls (id) ON DELETE CASCADE,
    data_set     text NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE sim_data_sets;
