CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` integer,
	`details` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_entity` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `conferences` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kpb_id` integer NOT NULL,
	`track` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`location` text,
	`status` text NOT NULL,
	`agenda` text NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`rsvp_deadline` text,
	`cancel_reason` text,
	`outcome` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`kpb_id`) REFERENCES `kpbs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `conferences_kpb_start` ON `conferences` (`kpb_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`partner_agency_id` integer NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`function` text,
	`is_leadership` integer DEFAULT true NOT NULL,
	`email` text,
	`matrix_id` text,
	`teams_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`partner_agency_id`) REFERENCES `partner_agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_partner_name` ON `contacts` (`partner_agency_id`,`name_key`);--> statement-breakpoint
CREATE INDEX `contacts_name` ON `contacts` (`name_key`);--> statement-breakpoint
CREATE INDEX `contacts_matrix` ON `contacts` (`matrix_id`);--> statement-breakpoint
CREATE INDEX `contacts_teams` ON `contacts` (`teams_id`);--> statement-breakpoint
CREATE TABLE `invitations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conference_id` integer NOT NULL,
	`partner_agency_id` integer NOT NULL,
	`answer` text,
	`deputy_name` text,
	`reason` text,
	`answered_at` integer,
	`answered_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`conference_id`) REFERENCES `conferences`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_agency_id`) REFERENCES `partner_agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_conf_partner` ON `invitations` (`conference_id`,`partner_agency_id`);--> statement-breakpoint
CREATE TABLE `invited_contacts` (
	`conference_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	`partner_agency_id` integer NOT NULL,
	PRIMARY KEY(`conference_id`, `contact_id`),
	FOREIGN KEY (`conference_id`) REFERENCES `conferences`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`partner_agency_id`) REFERENCES `partner_agencies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `invited_contacts_contact` ON `invited_contacts` (`contact_id`);--> statement-breakpoint
CREATE TABLE `kpbs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`slug` text NOT NULL,
	`kind` text NOT NULL,
	`cities` text DEFAULT '[]' NOT NULL,
	`has_motorway_police` integer DEFAULT false NOT NULL,
	`mandatory_extras` text DEFAULT '[]' NOT NULL,
	`extra_agenda_topics` text DEFAULT '[]' NOT NULL,
	`feed_token` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `kpbs_name_unique` ON `kpbs` (`name`);--> statement-breakpoint
CREATE UNIQUE INDEX `kpbs_slug_unique` ON `kpbs` (`slug`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`key` text NOT NULL,
	`platform` text NOT NULL,
	`address_kind` text NOT NULL,
	`address_id` text NOT NULL,
	`message` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`platform_message_id` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_key_unique` ON `outbox` (`key`);--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `partner_agencies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`category` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `partner_agencies_name_key_unique` ON `partner_agencies` (`name_key`);--> statement-breakpoint
CREATE TABLE `partner_kpbs` (
	`partner_agency_id` integer NOT NULL,
	`kpb_id` integer NOT NULL,
	PRIMARY KEY(`partner_agency_id`, `kpb_id`),
	FOREIGN KEY (`partner_agency_id`) REFERENCES `partner_agencies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`kpb_id`) REFERENCES `kpbs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `partner_kpbs_kpb` ON `partner_kpbs` (`kpb_id`);--> statement-breakpoint
CREATE TABLE `processed_events` (
	`platform` text NOT NULL,
	`event_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`platform`, `event_id`)
);
--> statement-breakpoint
CREATE TABLE `role_grants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`role` text NOT NULL,
	`kpb_id` integer,
	`granted_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`kpb_id`) REFERENCES `kpbs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `role_grants_per_kpb` ON `role_grants` (`user_id`,`role`,`kpb_id`) WHERE "role_grants"."kpb_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX `role_grants_global` ON `role_grants` (`user_id`,`role`) WHERE "role_grants"."kpb_id" is null;--> statement-breakpoint
CREATE TABLE `rooms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`platform_room_id` text NOT NULL,
	`direct` integer DEFAULT false NOT NULL,
	`kpb_id` integer,
	`locale` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`kpb_id`) REFERENCES `kpbs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rooms_platform_id` ON `rooms` (`platform`,`platform_room_id`);--> statement-breakpoint
CREATE INDEX `rooms_kpb` ON `rooms` (`kpb_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`platform` text NOT NULL,
	`platform_user_id` text NOT NULL,
	`display_name` text,
	`locale` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_platform_id` ON `users` (`platform`,`platform_user_id`);