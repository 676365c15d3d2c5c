-- How far this service's consumers have applied each partition (the next offset to apply), written in the
-- transaction of the poll it covers. Any replica reads it to tell whether the service is behind a topic before it
-- refuses a request about something it may simply not have consumed yet (TopicCatchUp).
CREATE TABLE consumed_position (
    topic       TEXT   NOT NULL,
    partition   INT    NOT NULL,
    next_offset BIGINT NOT NULL,
    PRIMARY KEY (topic, partition)
);
