import type { Banner } from "../../cards/models.js";
import { PrimaryContactSchema, type PrimaryContact } from "../../domain/agreement.js";
import { optionalText } from "../inputSchemas.js";
import type { ViewContext } from "../types.js";

/**
 * The accept step's contact inputs, named as Partner Center's Contact names them. Teams gives the bot a display
 * name, not a first and last name or an email, so the admin who accepts supplies them. They are taken long here
 * and checked by `PrimaryContactSchema`, so a value out of bounds gets the card back with a reason, not an error.
 */
export const ContactInputs = {
  firstName: optionalText(1000),
  lastName: optionalText(1000),
  email: optionalText(1000),
  phoneNumber: optionalText(1000),
};

export interface ContactValues {
  firstName?: string | undefined;
  lastName?: string | undefined;
  email?: string | undefined;
  phoneNumber?: string | undefined;
}

/** What the card's inputs show. */
export interface ContactFields {
  firstName: string;
  lastName: string;
  email: string;
  phoneNumber: string;
}

/** "Ada Lovelace" -> Ada, Lovelace; anything else ("Lovelace, Ada", one word, three words) is not guessed at. */
export function splitDisplayName(name: string): { firstName: string; lastName: string } | undefined {
  const match = /^\s*([^\s,]+)\s+([^\s,]+)\s*$/u.exec(name);
  return match ? { firstName: match[1]!, lastName: match[2]! } : undefined;
}

/** What the admin typed, else first and last name from a "First Last" display name; email and phone start empty. */
export function contactFields(ctx: ViewContext, typed: ContactValues = {}): ContactFields {
  const split = splitDisplayName(ctx.identity.name);
  return {
    firstName: typed.firstName ?? split?.firstName ?? "",
    lastName: typed.lastName ?? split?.lastName ?? "",
    email: typed.email ?? "",
    phoneNumber: typed.phoneNumber ?? "",
  };
}

/** The contact Partner Center needs, or the banner saying what is missing or wrong (then nothing is stored). */
export function contactOrBanner(ctx: ViewContext, typed: ContactValues): { contact: PrimaryContact } | { banner: Banner } {
  const parsed = PrimaryContactSchema.safeParse(typed);
  if (parsed.success) return { contact: parsed.data };
  const s = ctx.strings.invitations;
  const field = parsed.error.issues[0]?.path[0];
  const text = field === "email" ? s.contactEmailInvalid : field === "phoneNumber" ? s.contactPhoneInvalid : s.contactNameRequired;
  return { banner: { text, style: "attention" } };
}
