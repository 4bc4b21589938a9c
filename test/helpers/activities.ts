/**
 * Activities as Teams posts them, for tests and the benchmark alike: one place that knows the shape of a
 * personal chat and of an `adaptiveCard/action` invoke, so a change in how Teams sends them is made once.
 */

/** A person as Teams names them on an activity: their Teams id (29:...), display name and Entra object id. */
export interface TeamsPerson {
  id: string;
  name: string;
  /** Teams always sends it; a test leaves it out to see the bot refuse. */
  aadObjectId?: string;
}

/** Where an activity comes from: a person in a personal chat with the bot, in their own tenant. Identity is read from here. */
export const personalChat = (person: TeamsPerson, tenantId: string, conversationId = `a:${person.id}`) => ({
  from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
  conversation: { id: conversationId, conversationType: "personal", tenantId },
  channelData: { tenant: { id: tenantId } },
});
export type PersonalChat = ReturnType<typeof personalChat>;

/** A Teams user and personal chat, as Teams describes them on every activity. */
export const TEAMS_TENANT = "aaaaaaaa-0000-4000-8000-000000000001";
export const teamsUser = { id: "29:teams-user", name: "Ada Admin", aadObjectId: "bbbbbbbb-0000-4000-8000-000000000001" };
export const teamsChat = personalChat(teamsUser, TEAMS_TENANT, "a:personal-chat");

/**
 * An `adaptiveCard/action` invoke with `value` exactly as given, or none at all: for tests that send what Teams
 * never would. Everything else uses teamsCardAction.
 */
export const cardActionInvoke = (chat: PersonalChat, value?: unknown) => ({
  type: "invoke",
  name: "adaptiveCard/action",
  ...chat,
  ...(value === undefined ? {} : { value }),
});

/** What Teams posts when a user presses an Action.Execute button (by default the test user above, in their chat). */
export const teamsCardAction = (verb: string, data: Record<string, unknown> = {}, chat: PersonalChat = teamsChat) => ({
  ...cardActionInvoke(chat),
  value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
});

/** What Teams posts when the user types a message in the personal chat. */
export const teamsMessage = (text: string, chat: PersonalChat = teamsChat) => ({ type: "message", text, ...chat });

/**
 * What Teams posts when the person answers a file consent card: `fileConsent/invoke` with the card's context back,
 * and, when they allow it, the upload session Teams opened in their OneDrive.
 */
export const teamsFileConsent = (
  action: "accept" | "decline",
  context: unknown,
  uploadInfo: Record<string, unknown> | undefined,
  chat: PersonalChat = teamsChat,
) => ({
  type: "invoke",
  name: "fileConsent/invoke",
  ...chat,
  value: { type: "fileUpload", action, context, ...(uploadInfo ? { uploadInfo } : {}) },
});
