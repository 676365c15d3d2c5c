-- A rollout of a flag definition's named variant shows which variant it rolls out and against which (the default).
ALTER TABLE rollout ADD COLUMN treatment TEXT;
ALTER TABLE rollout ADD COLUMN control TEXT;
