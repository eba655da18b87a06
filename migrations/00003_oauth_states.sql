-- +goose Up

-- An authorization in flight: `mallsync mall connect` issues a state, the platform sends it
-- back to the callback with the code. A state is used once and lives a few minutes; only a
-- hash of it is kept, so a database reader cannot complete someone else's authorization.
CREATE TABLE oauth_states (
    state_hash    bytea PRIMARY KEY,
    mall_id       bigint NOT NULL REFERENCES malls (id) ON DELETE CASCADE,
    redirect_uri  text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);

-- +goose Down
DROP TABLE oauth_states;
