// Drive's change log: one numbered entry per write to an item (content, metadata, sharing, trash, delete),
// from which changes.list answers each caller with what it can see. Page tokens are entry numbers, as
// Drive's are (opaque strings of digits that only grow). Generic over the item, so the store that keeps
// the log imports it and not the other way round.

export interface ChangeEntry<Item> {
  /** Its number: a page token names the first entry a list reads. */
  seq: number;
  fileId: string;
  time: string;
  /** The item as it was when deleted: whoever could see it then sees it removed. */
  deleted?: Item;
  /** The principal who lost access with this entry: they see the item removed. */
  lostBy?: string;
}

export class ChangeLog<Item extends { id: string }> {
  readonly entries: ChangeEntry<Item>[] = [];
  private next = 1;

  /** The token of the next entry: where a list that has seen everything so far starts. */
  get startPageToken(): string {
    return String(this.next);
  }

  record(fileId: string): void {
    this.entries.push({ seq: this.next++, fileId, time: new Date().toISOString() });
  }

  recordRemoval(snapshot: Item): void {
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
  since(seq: number): ChangeEntry<Item>[] {
    return this.entries.filter((entry) => entry.seq >= seq);
  }
}
