// Drive's change log: one numbered entry per write to an item (content, metadata, sharing, trash, delete),
// from which changes.list answers each caller with what it can see. Page tokens are entry numbers, as
// Drive's are (opaque strings of digits that only grow).
import type { DriveItem } from "./store";

export interface ChangeEntry {
  /** Its number: a page token names the first entry a list reads. */
  seq: number;
  fileId: string;
  time: string;
  /** The item as it was when deleted: whoever could see it then sees it removed. */
  deleted?: DriveItem;
  /** The principal who lost access with this entry: they see the item removed. */
  lostBy?: string;
}

export class ChangeLog {
  readonly entries: ChangeEntry[] = [];
  private next = 1;

  /** The token of the next entry: where a list that has seen everything so far starts. */
  get startPageToken(): string {
    return String(this.next);
  }

  record(fileId: string): void {
    this.entries.push({ seq: this.next++, fileId, time: new Date().toISOString() });
  }

  recordRemoval(snapshot: DriveItem): void {
    this.entries.push({
      seq: this.next++,
      fileId: snapshot.id,
      time: new Date().toISOString(),
      deleted: snapshot,
    });
  }

  recordLoss(fileId: string, principal: string): void {
    this.entries.push({ seq: this.next++, fileId, time: new Date().toISOString(), lostBy: principal });
  }

  /** The entry number a page token names, or undefined when it names none this log gave out. */
  parseToken(token: string): number | undefined {
    if (!/^[1-9]\d{0,15}$/.test(token)) return undefined;
    const seq = Number(token);
    return seq <= this.next ? seq : undefined;
  }

  /** Entries from `seq` on, oldest first. */
  since(seq: number): ChangeEntry[] {
    return this.entries.filter((entry) => entry.seq >= seq);
  }
}
