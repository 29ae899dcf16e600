CREATE TABLE `escalation_acks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kpb_id` integer NOT NULL,
	`track` text NOT NULL,
	`year` integer NOT NULL,
	`rule` text NOT NULL,
	`due_date` text NOT NULL,
	`note` text,
	`acknowledged_by` text NOT NULL,
	`acknowledged_at` integer NOT NULL,
	FOREIGN KEY (`kpb_id`) REFERENCES `kpbs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `escalation_acks_once` ON `escalation_acks` (`kpb_id`,`track`,`year`,`rule`,`due_date`);