ALTER TABLE `conferences` ADD `number` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- data migration (hand-written)
-- Numbers used to be the global ids; existing conferences keep them, so every number people have written down
-- still works. New conferences count on from their KPB's highest number.
UPDATE `conferences` SET `number` = `id`;
