-- Notifications (issue 19): subscriptions, the deliveries they are owed, and every attempt at one.

-- The secret signs every post to the subscription (HMAC-SHA256); it is shown once, at subscribing, and never again.
CREATE TABLE notification_subscription (
    id           uuid PRIMARY KEY,
    url          text        NOT NULL,
    types        text[]      NOT NULL,
    environments text[]      NOT NULL,  -- empty: every environment
    format       text        NOT NULL,
    secret       text        NOT NULL,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL
);

-- Environment definitions as they arrive, never updated; the newest per name (by its sequence) says whether a
-- promotion into it needs an approval, which makes an approval-needed notice.
CREATE TABLE notification_environment (
    event_id          uuid PRIMARY KEY,
    name              text    NOT NULL,
    sequence          bigint  NOT NULL,
    promotes_from     text,
    requires_approval boolean NOT NULL
);
CREATE INDEX notification_environment_by_source ON notification_environment (promotes_from);
CREATE INDEX notification_environment_by_name ON notification_environment (name, sequence DESC);

-- One row per (subscription, notice), written in the transaction that applies the consumed event, so a notice is
-- owed exactly once however often the event is delivered or by which replica. The body is fixed when queued, so
-- every retry posts the same bytes under the same signature. While a post is in flight, due_at is the end of its
-- claim: a replica that dies mid-post leaves the row to be claimed again after that.
CREATE TABLE notification_delivery (
    id              bigserial PRIMARY KEY,
    subscription_id uuid        NOT NULL REFERENCES notification_subscription (id) ON DELETE CASCADE,
    notice_id       uuid        NOT NULL,
    notice_type     text        NOT NULL,
    summary         text        NOT NULL,
    content_type    text        NOT NULL,
    body            bytea       NOT NULL,
    state           text        NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    due_at          timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    last_outcome    text,
    UNIQUE (subscription_id, notice_id)
);
CREATE INDEX notification_delivery_due ON notification_delivery (subscription_id, due_at) WHERE state = 'pending';
CREATE INDEX notification_delivery_recent ON notification_delivery (subscription_id, id DESC);
CREATE INDEX notification_delivery_finished ON notification_delivery (finished_at) WHERE state <> 'pending';

-- Every post, as it went: insert-only.
CREATE TABLE notification_attempt (
    delivery_id bigint      NOT NULL REFERENCES notification_delivery (id) ON DELETE CASCADE,
    attempt     integer     NOT NULL,
    at          timestamptz NOT NULL,
    http_status integer,  -- null when no answer came
    outcome     text        NOT NULL,
    millis      bigint      NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
