// How the console writes dates and small states: ISO instants shown in UTC, to the minute, so a page
// reads the same whoever opens it.

/** "2026-12-01 09:00 UTC" from an ISO instant or epoch ms; "—" for none. */
export function when(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
