/**
 * Finds English left in a card meant for a Swedish reader: the words a person reads (text, titles, labels,
 * placeholders, facts, choices, error messages), minus what is data rather than product text (partner names and
 * the directory's services, what people typed), checked against a short list of words that are English only.
 */
import directory from "../../src/partner-directory/sample-directory.json" with { type: "json" };

/**
 * Words that never occur in Swedish product text but fill every English sentence. Kept short and unambiguous on
 * purpose: "partner", "support", "Microsoft 365" and the like are Swedish too, and so is "sent" ("late").
 */
export const ENGLISH_ONLY_WORDS = [
  "the",
  "and",
  "your",
  "you",
  "with",
  "this",
  "that",
  "was",
  "has",
  "have",
  "will",
  "can't",
  "don't",
  "isn't",
  "nothing",
  "changed",
  "please",
  "invitation",
  "invitations",
  "relationship",
  "relationships",
  "agreement",
  "roles",
  "remove",
  "accept",
  "accepted",
  "decline",
  "declined",
  "search",
  "send",
  "until",
  "days",
  "administrator",
  "organization",
  "customer",
  "customers",
  "history",
  "details",
  "page",
  "request",
  "ended",
  "ends",
  "yes",
  "back",
  // Dates written the English way ("31 Mar 2027"); Swedish writes mars, maj, juni, okt. ("jul" is Swedish too).
  "mar",
  "may",
  "jun",
  "oct",
] as const;

/** The properties of a card element that a person reads. Input values are what they typed (data), so not scanned. */
const READ_PROPERTIES = ["text", "title", "label", "placeholder", "errorMessage", "altText", "tooltip"] as const;

/** Every piece of text a person reads on the card, in document order. */
export function readableTexts(card: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    const element = node as Record<string, unknown>;
    for (const property of READ_PROPERTIES) {
      if (typeof element[property] === "string") found.push(element[property]);
    }
    // A fact's value and a RichTextBlock's plain-string inlines are read too.
    if (element["type"] === undefined && typeof element["title"] === "string" && typeof element["value"] === "string")
      found.push(element["value"]);
    if (Array.isArray(element["inlines"])) for (const inline of element["inlines"]) if (typeof inline === "string") found.push(inline);
    // Action data is what the bot reads back, never shown; everything else may hold more elements.
    for (const [key, value] of Object.entries(element)) if (key !== "data") walk(value);
  };
  walk(card);
  return found;
}

/** Names of Microsoft programs and documents that have no Swedish name and are written in English in Swedish text too. */
export const PROPER_NAMES = ["Microsoft Products & Services Agreement"] as const;

/** Names and words that come from data (the directory, the demo, what the tests type), never from our strings. */
export function dataPhrases(extra: readonly string[] = []): string[] {
  const fromDirectory = directory.flatMap((partner) => [
    partner.name,
    ...partner.services,
    ...partner.industries,
    ...partner.locations.map((l) => l.city),
    ...partner.contacts.map((c) => c.name),
  ]);
  // Longest first, so "Security and compliance" goes before a shorter phrase inside it.
  return [...new Set([...fromDirectory, ...PROPER_NAMES, ...extra])].filter((p) => p.length > 0).sort((a, b) => b.length - a.length);
}

export interface EnglishFinding {
  word: string;
  text: string;
}

/** The English-only words in what a person reads on `card`, with the text each was found in. */
export function englishIn(card: unknown, data: readonly string[] = dataPhrases()): EnglishFinding[] {
  const words = new Set<string>(ENGLISH_ONLY_WORDS);
  const findings: EnglishFinding[] = [];
  for (const original of readableTexts(card)) {
    let text = original.replace(/\]\([^)]*\)/g, "]").replace(/https?:\/\/\S+/g, " ");
    for (const phrase of data) text = text.split(phrase).join(" ");
    for (const word of text.toLowerCase().match(/[\p{L}']+/gu) ?? []) {
      const bare = word.replace(/^'+|'+$/g, "");
      if (words.has(bare) || (bare.endsWith("'s") && words.has(bare.slice(0, -2)))) findings.push({ word: bare, text: original });
    }
  }
  return findings;
}
