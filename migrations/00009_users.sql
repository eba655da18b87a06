-- +goose Up

-- The console's people: users with a role and a bcrypt password hash, their login sessions,
-- their API tokens for scripts, and the audit log of what they did. Session and API tokens are
-- random 32-byte values that only their holder sees; the database keeps their SHA-256 hashes,
-- so a copy of it lets nobody in. A session's CSRF token is kept as it is: forms must carry it,
-- and without the session cookie it is worth nothing.
CREATE TABLE users (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    role            text NOT NULL,
    password_hash   text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- a disabled user cannot log in, and their sessions and tokens stop working
    disabled_at     timestamptz,
    CHECK (name <> ''),
    CHECK (role IN ('agent', 'logistics', 'sales', 'admin'))
);

CREATE TABLE sessions (
    token_hash      bytea PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token      text NOT NULL,
    created_at      timestamptz NOT NULL,
    -- the absolute end; the idle end is last_seen_at plus the store's idle timeout
    expires_at      timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    CHECK (octet_length(token_hash) = 32)
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    token_hash      bytea PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label           text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    last_used_at    timestamptz,
    revoked_at      timestamptz,
    CHECK (octet_length(token_hash) = 32)
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The audit log: one row per action a person took through the console or the API. Append-only:
-- a trigger refuses UPDATE, DELETE and TRUNCATE. user_name and role are copied, not referenced,
-- so the record outlives the user.
CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    user_name       text NOT NULL,
    role            text NOT NULL,
    action          text NOT NULL,
    target          text NOT NULL DEFAULT '',
    detail          jsonb NOT NULL DEFAULT '{}',
    CHECK (action <> '')
);
CREATE INDEX audit_log_user_at ON audit_log (user_name, at);
CREATE INDEX audit_log_at ON audit_log (at);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
-- +goose StatementEnd

CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
