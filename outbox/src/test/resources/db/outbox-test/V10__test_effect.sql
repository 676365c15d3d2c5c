-- Deliberately without a unique key: a doubly applied event would leave two rows.
CREATE TABLE test_effect (event_id UUID NOT NULL, build_id TEXT NOT NULL);
