DROP INDEX `contacts_partner_name`;--> statement-breakpoint
ALTER TABLE `contacts` ADD `kpb_id` integer REFERENCES kpbs(id);--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_kpb_partner_name` ON `contacts` (`kpb_id`,`partner_agency_id`,`name_key`);--> statement-breakpoint
-- data migration (hand-written)
-- Until now one contact row was shared by every KPB linked to it in contact_kpbs, with the details the first KPB
-- typed. Each KPB's registration becomes its own row. The existing row stays with the KPB that added it (the
-- audit log says which; else the lowest linked KPB) and keeps its addresses.
UPDATE `contacts` SET `kpb_id` = coalesce(
  (SELECT json_extract(a.`details`, '$.kpbId') FROM `audit_log` a
    WHERE a.`action` = 'contact.add' AND a.`entity` = 'contact' AND a.`entity_id` = `contacts`.`id`
      AND EXISTS (SELECT 1 FROM `contact_kpbs` ck WHERE ck.`contact_id` = `contacts`.`id` AND ck.`kpb_id` = json_extract(a.`details`, '$.kpbId'))
    ORDER BY a.`id` LIMIT 1),
  (SELECT min(ck.`kpb_id`) FROM `contact_kpbs` ck WHERE ck.`contact_id` = `contacts`.`id`),
  (SELECT min(conf.`kpb_id`) FROM `invited_contacts` ic JOIN `conferences` conf ON conf.`id` = ic.`conference_id` WHERE ic.`contact_id` = `contacts`.`id`));
--> statement-breakpoint
-- Every other KPB linked to the person, or that invited them, gets its own registration: name, function and
-- leadership as they were, but no addresses, because those were typed by another KPB (a KPB could plant its own
-- e-mail or chat id in someone else's invitations). The KPB's organisers add them with `kontakt aendern`.
INSERT INTO `contacts` (`partner_agency_id`, `kpb_id`, `name`, `name_key`, `function`, `is_leadership`, `created_at`)
SELECT c.`partner_agency_id`, k.`kpb_id`, c.`name`, c.`name_key`, c.`function`, c.`is_leadership`, c.`created_at`
FROM `contacts` c
JOIN (SELECT `contact_id`, `kpb_id` FROM `contact_kpbs`
      UNION SELECT ic.`contact_id`, conf.`kpb_id` FROM `invited_contacts` ic JOIN `conferences` conf ON conf.`id` = ic.`conference_id`) k
  ON k.`contact_id` = c.`id`
WHERE k.`kpb_id` <> c.`kpb_id`;
--> statement-breakpoint
-- Invitations, answers and queued messages of a KPB's conference refer to that KPB's registration.
CREATE TEMP TABLE `contact_moves` AS
SELECT shared.`id` AS `old_id`, own.`kpb_id` AS `kpb_id`, own.`id` AS `new_id`
FROM `contacts` shared
JOIN `contacts` own ON own.`partner_agency_id` = shared.`partner_agency_id` AND own.`name_key` = shared.`name_key` AND own.`kpb_id` <> shared.`kpb_id`;
--> statement-breakpoint
UPDATE `invited_contacts` SET `contact_id` = coalesce((SELECT m.`new_id` FROM `contact_moves` m JOIN `conferences` c ON c.`id` = `invited_contacts`.`conference_id` WHERE m.`old_id` = `invited_contacts`.`contact_id` AND m.`kpb_id` = c.`kpb_id`), `contact_id`);
--> statement-breakpoint
UPDATE `rsvp_log` SET `contact_id` = coalesce((SELECT m.`new_id` FROM `contact_moves` m JOIN `conferences` c ON c.`id` = `rsvp_log`.`conference_id` WHERE m.`old_id` = `rsvp_log`.`contact_id` AND m.`kpb_id` = c.`kpb_id`), `contact_id`);
--> statement-breakpoint
UPDATE `outbox` SET `contact_id` = coalesce((SELECT m.`new_id` FROM `contact_moves` m JOIN `conferences` c ON c.`id` = `outbox`.`conference_id` WHERE m.`old_id` = `outbox`.`contact_id` AND m.`kpb_id` = c.`kpb_id`), `contact_id`);
--> statement-breakpoint
DROP TABLE temp.`contact_moves`;
