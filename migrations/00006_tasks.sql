-- +goose Up
-- Work for people (tasks with their memo threads) and the buyer notifications outbox.
-- Times are UTC timestamptz.

-- A task: inspect a returned item, review a buyer's photos, re-ship, send back to a supplier,
-- follow up. Key makes creation idempotent ("return/<mall>/<claim>/inspection"); workflow_id
-- names the workflow that waits for the result (empty when none does).
CREATE TABLE tasks (
    id                 bigserial PRIMARY KEY,
    mall_id            bigint NOT NULL REFERENCES malls (id),
    key                text NOT NULL UNIQUE,
    kind               text NOT NULL,
    status             text NOT NULL DEFAULT 'open',
    priority           text NOT NULL DEFAULT 'normal',
    -- priority as a number (urgent highest) so that "most urgent first" can use an index
    priority_rank      smallint GENERATED ALWAYS AS (CASE priority
                           WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END) STORED,
    assignee           text NOT NULL DEFAULT '',
    platform_order_id  text NOT NULL DEFAULT '',
    platform_claim_id  text NOT NULL DEFAULT '',
    line_ids           text[] NOT NULL DEFAULT '{}',
    workflow_id        text NOT NULL DEFAULT '',
    title              text NOT NULL DEFAULT '',
    due_at             timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    closed_at          timestamptz,
    -- who completed the task (empty for a canceled one)
    closed_by          text NOT NULL DEFAULT '',
    -- what completed it (an inspection result, a re-shipment's parcel, ...)
    result             jsonb,
    CHECK (kind IN ('inspection', 'photo_review', 'reshipment', 'return_to_supplier', 'agent_followup')),
    CHECK (status IN ('open', 'claimed', 'done', 'canceled')),
    CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    CHECK ((status IN ('done', 'canceled')) = (closed_at IS NOT NULL))
);
-- The task board: open work, most urgent then oldest first, filtered by kind or assignee.
CREATE INDEX tasks_board ON tasks (status, priority_rank DESC, created_at, id);
CREATE INDEX tasks_kind ON tasks (kind, status, priority_rank DESC, created_at);
CREATE INDEX tasks_assignee ON tasks (assignee, status, priority_rank DESC, created_at) WHERE assignee <> '';
CREATE INDEX tasks_claim ON tasks (mall_id, platform_claim_id) WHERE platform_claim_id <> '';
CREATE INDEX tasks_due ON tasks (due_at) WHERE due_at IS NOT NULL AND status IN ('open', 'claimed');

-- A task's memo thread, oldest first.
CREATE TABLE task_memos (
    id       bigserial PRIMARY KEY,
    task_id  bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    author   text NOT NULL,
    body     text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_memos_task ON task_memos (task_id, at, id);

-- Buyer notifications outbox: a workflow queues a notification (idempotently, by key); a
-- sender adapter delivers it and sets sent_at. The body holds no buyer personal data: the
-- adapter finds the buyer's contact from the order when it sends.
CREATE TABLE notifications (
    id                 bigserial PRIMARY KEY,
    mall_id            bigint NOT NULL REFERENCES malls (id),
    key                text NOT NULL UNIQUE,
    platform_order_id  text NOT NULL DEFAULT '',
    platform_claim_id  text NOT NULL DEFAULT '',
    kind               text NOT NULL,
    body               text NOT NULL DEFAULT '',
    queued_at          timestamptz NOT NULL DEFAULT now(),
    sent_at            timestamptz
);
CREATE INDEX notifications_unsent ON notifications (queued_at, id) WHERE sent_at IS NULL;

-- +goose Down
DROP TABLE notifications;
DROP TABLE task_memos;
DROP TABLE tasks;
