CREATE TABLE `contact_kpbs` (
	`contact_id` integer NOT NULL,
	`kpb_id` integer NOT NULL,
	PRIMARY KEY(`contact_id`, `kpb_id`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`kpb_id`) REFERENCES `kpbs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contact_kpbs_kpb` ON `contact_kpbs` (`kpb_id`);--> statement-breakpoint
-- Contacts registered before this table existed stay reachable for every KPB their agency serves.
INSERT INTO `contact_kpbs` (`contact_id`, `kpb_id`) SELECT c.`id`, pk.`kpb_id` FROM `contacts` c JOIN `partner_kpbs` pk ON pk.`partner_agency_id` = c.`partner_agency_id`;
