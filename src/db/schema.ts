// The drizzle schema: the single source for the SQL migrations that drizzle-kit generates into migrations/.
// Instants are stored as UTC epoch milliseconds; lists that are only ever read whole are JSON text.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { PLATFORMS } from "../domain/types.ts";

const createdAt = () => integer("created_at", { mode: "timestamp_ms" }).notNull();

export const kpbs = sqliteTable("kpbs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  /** Lower-case, ascii key used in commands (`--kpb koeln`) and feed URLs. */
  slug: text("slug").notNull().unique(),
  kind: text("kind", { enum: ["pp", "landrat"] }).notNull(),
  cities: text("cities", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  hasMotorwayPolice: integer("has_motorway_police", { mode: "boolean" }).notNull().default(false),
  /** Optional categories this KPB made mandatory for itself (R4), e.g. Jugendamt in Köln. */
  mandatoryExtras: text("mandatory_extras", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  /** Local agenda topics added to the decree's standard agenda (R6). */
  extraAgendaTopics: text("extra_agenda_topics", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  feedToken: text("feed_token"),
  /** The iCalendar ORGANIZER address of the KPB's invitations (`kalender organisator`); null: the installation's. */
  organizerEmail: text("organizer_email"),
  createdAt: createdAt(),
});

export const partnerAgencies = sqliteTable("partner_agencies", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  /** Case- and umlaut-folded name; one agency per name across the state (it may serve several KPBs, R5). */
  nameKey: text("name_key").notNull().unique(),
  category: text("category").notNull(),
  createdAt: createdAt(),
});

export const partnerKpbs = sqliteTable(
  "partner_kpbs",
  {
    partnerAgencyId: integer("partner_agency_id").notNull().references(() => partnerAgencies.id),
    kpbId: integer("kpb_id").notNull().references(() => kpbs.id),
  },
  (t) => [primaryKey({ columns: [t.partnerAgencyId, t.kpbId] }), index("partner_kpbs_kpb").on(t.kpbId)],
);

/**
 * A person of a partner agency as one KPB registered them. An agency may serve several KPBs (R5), but each KPB's
 * registration is its own row, addresses included: nothing one KPB types changes whom another KPB invites, and
 * a platform identity speaks for an agency only at the KPB that registered it.
 */
export const contacts = sqliteTable(
  "contacts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    partnerAgencyId: integer("partner_agency_id").notNull().references(() => partnerAgencies.id),
    /** Always set; nullable only because SQLite cannot add a NOT NULL reference to a filled table (0004 fills it). */
    kpbId: integer("kpb_id").references(() => kpbs.id),
    name: text("name").notNull(),
    nameKey: text("name_key").notNull(),
    function: text("function"),
    isLeadership: integer("is_leadership", { mode: "boolean" }).notNull().default(true),
    email: text("email"),
    matrixId: text("matrix_id"),
    teamsId: text("teams_id"),
    /** The one platform this person is reached on; null: the first configured platform on which they have an id. */
    channel: text("channel", { enum: PLATFORMS }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("contacts_kpb_partner_name").on(t.kpbId, t.partnerAgencyId, t.nameKey),
    index("contacts_name").on(t.nameKey),
    index("contacts_matrix").on(t.matrixId),
    index("contacts_teams").on(t.teamsId),
  ],
);

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    platformUserId: text("platform_user_id").notNull(),
    displayName: text("display_name"),
    locale: text("locale", { enum: ["de", "en"] }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_platform_id").on(t.platform, t.platformUserId)],
);

export const roleGrants = sqliteTable(
  "role_grants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id),
    role: text("role", { enum: ["admin", "organiser", "leader", "partner", "reporter"] }).notNull(),
    /** null: the role holds for every KPB (admin, reporter). */
    kpbId: integer("kpb_id").references(() => kpbs.id),
    grantedBy: text("granted_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("role_grants_per_kpb").on(t.userId, t.role, t.kpbId).where(sql`${t.kpbId} is not null`),
    uniqueIndex("role_grants_global").on(t.userId, t.role).where(sql`${t.kpbId} is null`),
  ],
);

export const rooms = sqliteTable(
  "rooms",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    platformRoomId: text("platform_room_id").notNull(),
    direct: integer("direct", { mode: "boolean" }).notNull().default(false),
    kpbId: integer("kpb_id").references(() => kpbs.id),
    locale: text("locale", { enum: ["de", "en"] }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("rooms_platform_id").on(t.platform, t.platformRoomId), index("rooms_kpb").on(t.kpbId)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    /** "platform:user id" of who did it, or "system". */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: integer("entity_id"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("audit_entity").on(t.entity, t.entityId)],
);

/** Inbound platform events already handled (Teams redelivers, a Matrix sync can repeat after a crash). */
export const processedEvents = sqliteTable(
  "processed_events",
  {
    platform: text("platform").notNull(),
    eventId: text("event_id").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    /** The first answer to the event (outcome and replies), returned again when the platform redelivers it. */
    result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.eventId] })],
);

export const conferences = sqliteTable(
  "conferences",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kpbId: integer("kpb_id").notNull().references(() => kpbs.id),
    /**
     * The number people type (`#2`, `koeln#2`), counted per KPB so it says nothing about other KPBs' conferences.
     * Conferences from before kept their old number, their id (0006). Buttons carry the id.
     */
    number: integer("number").notNull().default(0),
    track: text("track", { enum: ["siko", "siko-ap"] }).notNull(),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }).notNull(),
    location: text("location"),
    status: text("status", { enum: ["planned", "invited", "cancelled", "held"] }).notNull(),
    agenda: text("agenda", { mode: "json" }).$type<string[]>().notNull(),
    /** iCalendar SEQUENCE: raised on every change partners must see. */
    sequence: integer("sequence").notNull().default(0),
    rsvpDeadline: text("rsvp_deadline"),
    cancelReason: text("cancel_reason"),
    /** Outcome recorded by `durchgefuehrt`: who attended, guests who came uninvited, which agenda items were discussed. */
    outcome: text("outcome", { mode: "json" }).$type<Outcome>(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("conferences_kpb_start").on(t.kpbId, t.startsAt), uniqueIndex("conferences_kpb_number").on(t.kpbId, t.number)],
);

/** One row per invited partner agency: the agency answers once, through any of its contacts. */
export const invitations = sqliteTable(
  "invitations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conferenceId: integer("conference_id").notNull().references(() => conferences.id),
    partnerAgencyId: integer("partner_agency_id").notNull().references(() => partnerAgencies.id),
    answer: text("answer", { enum: ["accepted", "declined", "tentative", "delegated"] }),
    deputyName: text("deputy_name"),
    reason: text("reason"),
    answeredAt: integer("answered_at", { mode: "timestamp_ms" }),
    answeredBy: text("answered_by"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("invitations_conf_partner").on(t.conferenceId, t.partnerAgencyId)],
);

/** The contacts an invitation was sent to (the iCalendar ATTENDEEs). */
export const invitedContacts = sqliteTable(
  "invited_contacts",
  {
    conferenceId: integer("conference_id").notNull().references(() => conferences.id),
    contactId: integer("contact_id").notNull().references(() => contacts.id),
    partnerAgencyId: integer("partner_agency_id").notNull().references(() => partnerAgencies.id),
  },
  (t) => [primaryKey({ columns: [t.conferenceId, t.contactId] }), index("invited_contacts_contact").on(t.contactId)],
);

/**
 * Everything the bot sends on its own. The key is unique and made before the first attempt. A row either
 * sends a new message or (operation "edit") changes the message that the row `targetId` delivered.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull().unique(),
    operation: text("operation", { enum: ["send", "edit"] }).notNull().default("send"),
    targetId: integer("target_id"),
    /** What the message is (invitation, update, reminder, rsvp-notice, …): for status, edits and reports. */
    kind: text("kind").notNull().default("message"),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    addressKind: text("address_kind", { enum: ["room", "user"] }).notNull(),
    addressId: text("address_id").notNull(),
    kpbId: integer("kpb_id"),
    conferenceId: integer("conference_id"),
    contactId: integer("contact_id"),
    message: text("message", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /**
     * pending → sending → delivered; failed (the platform refused it for good); uncertain (the send broke off
     * where the platform cannot tell a repeat, so it is not sent again); parked (the address cannot be reached
     * yet, until the adapter reports it reachable); superseded (a newer edit or nothing left to say).
     */
    status: text("status", { enum: ["pending", "sending", "delivered", "failed", "uncertain", "parked", "superseded"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    /** The worker holding the row while it sends, and until when; every status change checks both. */
    owner: text("owner"),
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    /** When the organisers were told that this row could not be delivered. */
    reportedAt: integer("reported_at", { mode: "timestamp_ms" }),
    platformMessageId: text("platform_message_id"),
    createdAt: createdAt(),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("outbox_due").on(t.status, t.nextAttemptAt),
    index("outbox_conference").on(t.conferenceId, t.contactId),
    index("outbox_address").on(t.platform, t.addressKind, t.addressId),
    index("outbox_target").on(t.targetId),
    // Every delivery round asks whether an undelivered row waits to be reported: without this it read every
    // parked, failed and uncertain row ever kept, reported ones included.
    index("outbox_unreported").on(t.status, t.reportedAt),
  ],
);

/** Small state an adapter keeps across restarts (Matrix sync token and direct rooms, Teams conversation references). */
export const adapterState = sqliteTable(
  "adapter_state",
  {
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.key] })],
);

/**
 * Every answer an agency gave, in order: the organisers' notice is built from the answers since the last one
 * when it is delivered, so it never contradicts the state at that moment, and an answer is one small insert.
 */
export const rsvpLog = sqliteTable(
  "rsvp_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    conferenceId: integer("conference_id").notNull().references(() => conferences.id),
    partnerAgencyId: integer("partner_agency_id").notNull().references(() => partnerAgencies.id),
    answer: text("answer", { enum: ["accepted", "declined", "tentative", "delegated"] }).notNull(),
    deputyName: text("deputy_name"),
    reason: text("reason"),
    /** The conference's SEQUENCE when answered: an answer to an earlier date no longer counts. */
    sequence: integer("sequence").notNull(),
    /** Who answered: the contact (their name is shown to the organisers), or an organiser on the agency's behalf. */
    contactId: integer("contact_id"),
    actor: text("actor").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("rsvp_log_conference").on(t.conferenceId, t.id)],
);

/** Small key/value facts about this installation (e.g. when the annual-minimum watch first ran). */
export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * A KPB's leader or organiser confirming receipt of an annual-minimum escalation. It is a record only:
 * the reminders keep coming until the track is planned or held (the decree allows no snoozing).
 */
export const escalationAcks = sqliteTable(
  "escalation_acks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kpbId: integer("kpb_id").notNull().references(() => kpbs.id),
    track: text("track", { enum: ["siko", "siko-ap"] }).notNull(),
    year: integer("year").notNull(),
    /** The reminder rule and Berlin due date of the escalation acknowledged (e.g. annual.escalation, 2027-10-01). */
    rule: text("rule").notNull(),
    dueDate: text("due_date").notNull(),
    note: text("note"),
    /** "platform:user id" of who acknowledged. */
    acknowledgedBy: text("acknowledged_by").notNull(),
    acknowledgedAt: integer("acknowledged_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("escalation_acks_once").on(t.kpbId, t.track, t.year, t.rule, t.dueDate)],
);

export interface Outcome {
  /** Invited agencies that attended. */
  attendedPartnerIds: number[];
  /** Agency names of guests who came without an invitation. */
  guests?: string[];
  /** 1-based numbers of the agenda items discussed. */
  discussedItems: number[];
}

export type KpbRow = typeof kpbs.$inferSelect;
export type PartnerAgencyRow = typeof partnerAgencies.$inferSelect;
export type ContactRow = typeof contacts.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type RoleGrantRow = typeof roleGrants.$inferSelect;
export type RoomRow = typeof rooms.$inferSelect;
export type ConferenceRow = typeof conferences.$inferSelect;
export type InvitationRow = typeof invitations.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;

/**
 * Crisis-staff exercises attended by a police liaison officer (decree §4, an annual track of its own) and job
 * shadowing between agencies (counted, not enforced). Corrections and removals are written to the audit log.
 */
export const exerciseRecords = sqliteTable(
  "exercise_records",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kpbId: integer("kpb_id").notNull().references(() => kpbs.id),
    kind: text("kind", { enum: ["exercise", "shadowing"] }).notNull(),
    /** Berlin date "YYYY-MM-DD". */
    date: text("date").notNull(),
    /** Exercise: the city or district that held it; shadowing: the agency. */
    place: text("place").notNull(),
    /** Exercise: the liaison officer; shadowing: the person. */
    person: text("person").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("exercise_records_kpb_date").on(t.kpbId, t.date)],
);

/** Links to the state-wide overview page (`bericht <jahr> --seite`): only the SHA-256 digest of the token is kept. */
export const reportLinks = sqliteTable("report_links", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  tokenHash: text("token_hash").notNull().unique(),
  year: integer("year").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: createdAt(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
});
