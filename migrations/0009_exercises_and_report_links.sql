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
CREATE INDEX `exercise_records_kpb_date` ON `exercise_records` (`kpb_id`,`date`);--> statement-breakpoint
CREATE TABLE `report_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`year` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_links_token_hash_unique` ON `report_links` (`token_hash`);