// What a refused date or time says, in the reader's language: shared by the commands and the console's `/zeit`.
import type { DateTimeError } from "../domain/dates.ts";
import type { Message } from "./i18n/catalogue.ts";

export function dateErrorMessage(e: DateTimeError): Message {
  switch (e.code) {
    case "date-format":
      return { key: "date.format", params: { input: e.input } };
    case "time-format":
      return { key: "date.timeFormat", params: { input: e.input } };
    case "date-impossible":
      return { key: "date.impossible", params: { input: e.input } };
    case "date-range":
      return { key: "date.range", params: { input: e.input, max: e.max } };
    case "instant-format":
      return { key: "date.instantFormat", params: { input: e.input } };
    case "time-gap":
      return { key: "date.gap", params: { date: e.date, time: e.time } };
    case "in-past":
      return { key: "date.past", params: { when: e.when } };
  }
}
