CREATE TABLE `exercise_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kpb_id` integer NOT NULL,
	`kind` text NOT NULL,
	`date` text NOT NULL,
	`place` text NOT NULL,
	`person` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`kpb_id`) REFERENCES `kpbs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exercise_records_kpb_date` ON `exercise_records` (`kpb_id`,`date`);