import { LRUCache } from "lru-cache";
import { ConversationReferenceSchema } from "../domain/conversation.js";
import type { Reference } from "./conversationBook.js";

/** One entry per user active in this process's recent memory, a few hundred bytes each. */
const MAX_PARSED = 10_000;
const parsed = new LRUCache<string, Reference>({ max: MAX_PARSED });

/**
 * The channel's conversation reference of a turn, parsed with its schema before anything stores it. A user's
 * reference is the same on every turn, so a reference whose JSON this process parsed before is not parsed again:
 * the same text parses to the same value. The value is frozen, because turns share it.
 */
export function parseConversationReference(raw: object): Reference {
  const json = JSON.stringify(raw);
  const known = parsed.get(json);
  if (known) return known;
  const reference = deepFreeze(ConversationReferenceSchema.parse(JSON.parse(json)));
  parsed.set(json, reference);
  return reference;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
}
