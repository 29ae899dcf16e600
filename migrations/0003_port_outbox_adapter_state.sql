CREATE TABLE `adapter_state` (
	`platform` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`platform`, `key`)
);
--> statement-breakpoint
CREATE TABLE `rsvp_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conference_id` integer NOT NULL,
	`partner_agency_id` integer NOT NULL,
	`answer` text NOT NULL,
	`deputy_name` text,
	`reason` text,
	`sequence` integer NOT NULL,
	`contact_id` integer,
	`actor` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`conference_id`) REFERENCES `conferences`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_agency_id`) REFERENCES `partner_agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rsvp_log_conference` ON `rsvp_log` (`conference_id`,`id`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `channel` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `operation` text DEFAULT 'send' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `target_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `kind` text DEFAULT 'message' NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `kpb_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `conference_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `contact_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `reported_at` integer;--> statement-breakpoint
CREATE INDEX `outbox_conference` ON `outbox` (`conference_id`,`contact_id`);--> statement-breakpoint
CREATE INDEX `outbox_address` ON `outbox` (`platform`,`address_kind`,`address_id`);--> statement-breakpoint
CREATE INDEX `outbox_target` ON `outbox` (`target_id`);--> statement-breakpoint
ALTER TABLE `processed_events` ADD `result` text;