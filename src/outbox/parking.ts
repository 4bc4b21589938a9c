import { hasWork, PassAudience } from "./audience.js";
import type { OutboxRow, OutboxStore, Recipients } from "./ports.js";

/**
 * Parks a notification nobody can receive yet, so that passes stop listing it (src/outbox/shards/waiting.ts).
 * Someone may have become reachable since the pass's read, and the conversation book's unparking may have read the
 * parked entries before this one was written: a fresh look after parking settles it (either it sees them, or the
 * book's later read saw this entry). Resolves to true when it was made due again at once (a pass should follow).
 */
export async function parkUnreachable(row: OutboxRow, rows: OutboxStore, recipients: Recipients): Promise<boolean> {
  if (!rows.park || !(await rows.park(row))) return false;
  const fresh = await new PassAudience(recipients, rows, 0).targets(row.value);
  if (!hasWork(row.value, fresh)) return false;
  await rows.unpark?.(row);
  return true;
}
