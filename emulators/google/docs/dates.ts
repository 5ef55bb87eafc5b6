// Date chips: how Docs displays a DateElement's timestamp in its date format, time format and time zone.
import type { DateProps } from "./model";

export class DateError extends Error {}

/** Docs' default zone is spelled "etc/UTC"; Intl wants the canonical case. */
export function zoneFor(timeZoneId: string | undefined): string {
  if (timeZoneId === undefined || timeZoneId === "" || timeZoneId.toLowerCase() === "etc/utc") return "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timeZoneId });
  } catch {
    throw new DateError(`Invalid time zone ID: ${timeZoneId}`);
  }
  return timeZoneId;
}

function parts(date: Date, zone: string): Record<string, string> {
  const formatter = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "numeric",
    minute: "2-digit",
    hour12: true,
    timeZoneName: "short",
  });
  return Object.fromEntries(formatter.formatToParts(date).map((p) => [p.type, p.value]));
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** YYYY-MM-DD of the timestamp in the chip's zone. */
export function isoDate(props: DateProps): string {
  const p = parts(new Date(props.timestamp), zoneFor(props.timeZoneId));
  return `${p.year}-${p.month}-${p.day}`;
}

/** The chip's text, as DateElementProperties.displayText reports it (English only). */
export function displayText(props: DateProps): string {
  const p = parts(new Date(props.timestamp), zoneFor(props.timeZoneId));
  const month = MONTHS[Number(p.month) - 1] ?? "";
  const day = Number(p.day);
  let date: string;
  switch (props.dateFormat) {
    case "DATE_FORMAT_ISO8601":
      date = `${p.year}-${p.month}-${p.day}`;
      break;
    case "DATE_FORMAT_MONTH_DAY_ABBREVIATED":
      date = `${month.slice(0, 3)} ${day}`;
      break;
    case "DATE_FORMAT_MONTH_DAY_FULL":
      date = `${month} ${p.day}`;
      break;
    default:
      date = `${month.slice(0, 3)} ${day}, ${p.year}`;
  }
  const time = `${p.hour}:${p.minute} ${p.dayPeriod}`;
  switch (props.timeFormat) {
    case "TIME_FORMAT_HOUR_MINUTE":
      return `${date} ${time}`;
    case "TIME_FORMAT_HOUR_MINUTE_TIMEZONE":
      return `${date} ${time} ${p.timeZoneName}`;
    default:
      return date;
  }
}
