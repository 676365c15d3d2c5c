-- A rollout of a flag definition's named variant: which variant is the treatment and which the control (the
-- definition's default). Null for a rollout of an audience, whose arms are "on" and "off".
ALTER TABLE rollout ADD COLUMN treatment TEXT;
ALTER TABLE rollout ADD COLUMN control TEXT;
