// Pure permission and confidentiality rules; the dispatcher applies them to every command.
import type { Role } from "./types.ts";

export interface Grant {
  role: Role;
  /** null: the grant holds for every KPB. */
  kpbId: number | null;
}

/** Admin satisfies every role; a KPB-bound grant counts only for its KPB; a global grant for all. */
export function hasRole(grants: readonly Grant[], roles: readonly Role[], kpbId: number | null): boolean {
  return grants.some(
    (g) =>
      (g.role === "admin" && g.kpbId === null) ||
      (roles.includes(g.role) && (g.kpbId === null || (kpbId !== null && g.kpbId === kpbId))),
  );
}

/**
 * R9: conference details reach only the organising KPB and the invitees. They may be shown in a room
 * bound to that KPB, or in a direct chat with an invited contact or with the KPB's own staff.
 */
export function mayShowConference(input: {
  conferenceKpbId: number;
  roomKpbId: number | null;
  roomIsDirect: boolean;
  callerIsInvited: boolean;
  callerIsKpbStaff: boolean;
}): boolean {
  if (input.roomKpbId !== null) return input.roomKpbId === input.conferenceKpbId;
  return input.roomIsDirect && (input.callerIsInvited || input.callerIsKpbStaff);
}

/**
 * The agencies a person speaks for at a KPB: those of the registrations that KPB made. Another KPB's
 * registration of the same identity counts only there, so no KPB can make someone a voice in another's SiKo.
 */
export function agenciesRepresentedAt(registrations: readonly { kpbId: number | null; partnerAgencyId: number }[], kpbId: number): Set<number> {
  return new Set(registrations.filter((c) => c.kpbId === kpbId).map((c) => c.partnerAgencyId));
}
