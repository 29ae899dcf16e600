// The one table of commands and button verbs. Order is the order of the help text.
import type { CommandDef } from "./command.ts";
import type { ActionTable } from "./dispatcher.ts";
import { contactAdd, contactChange, contactRemove } from "./directory/contacts.ts";
import { kpbImport } from "./directory/kpbImport.ts";
import { kpbList } from "./directory/kpbList.ts";
import { kpbMandatory } from "./directory/kpbMandatory.ts";
import { kpbShow } from "./directory/kpbShow.ts";
import { language, roomLanguage } from "./directory/language.ts";
import { me } from "./directory/me.ts";
import { partnerAdd } from "./directory/partnerAdd.ts";
import { partnerList } from "./directory/partnerList.ts";
import { partnerRemove } from "./directory/partnerRemove.ts";
import { roleGrant } from "./directory/roleGrant.ts";
import { roomBind } from "./directory/roomBind.ts";
import { helpCommand } from "./helpCommand.ts";
import { agenda } from "./conferences/agenda.ts";
import { held } from "./conferences/held.ts";
import { invite } from "./conferences/invite.ts";
import { list } from "./conferences/list.ts";
import { place } from "./conferences/place.ts";
import { plan } from "./conferences/plan.ts";
import { cancel, cancelActions, reschedule } from "./conferences/reschedule.ts";
import { accept, decline, delegate, rsvpActions, tentative } from "./conferences/rsvp.ts";
import { status } from "./conferences/status.ts";
import { overview, overviewAll } from "./overview/overview.ts";
import { acknowledge } from "./overview/acknowledge.ts";
import { ics } from "./calendar/icsCommand.ts";
import { calendarLink, calendarOrganizer, calendarRotate } from "./calendar/calendarCommands.ts";
import { backup } from "./admin/backup.ts";
import { contactErase, contactExport } from "./directory/personalData.ts";
import { report } from "./report/report.ts";
import { exerciseChange, exerciseList, exerciseRecord, exerciseRemove, shadowingRecord } from "./exercises/exercises.ts";

export const commands: readonly CommandDef[] = [
  helpCommand(() => commands),
  kpbList,
  kpbShow,
  kpbImport,
  kpbMandatory,
  partnerAdd,
  partnerList,
  partnerRemove,
  contactAdd,
  contactChange,
  contactRemove,
  contactExport,
  contactErase,
  roomBind,
  roomLanguage,
  roleGrant,
  plan,
  agenda,
  place,
  invite,
  status,
  accept,
  decline,
  tentative,
  delegate,
  reschedule,
  cancel,
  held,
  list,
  overview,
  overviewAll,
  acknowledge,
  report,
  exerciseRecord,
  shadowingRecord,
  exerciseList,
  exerciseChange,
  exerciseRemove,
  ics,
  calendarLink,
  calendarRotate,
  calendarOrganizer,
  me,
  language,
  backup,
] as CommandDef[];

export const actions: ActionTable = { ...rsvpActions, ...cancelActions };
