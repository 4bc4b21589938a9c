/** A Teams user and personal chat, as Teams describes them on every activity. */
export const TEAMS_TENANT = "aaaaaaaa-0000-4000-8000-000000000001";
export const teamsUser = { id: "29:teams-user", name: "Ada Admin", aadObjectId: "bbbbbbbb-0000-4000-8000-000000000001" };
export const teamsConversation = { id: "a:personal-chat", conversationType: "personal", tenantId: TEAMS_TENANT };

/** What Teams posts when a user presses an Action.Execute button. */
export const teamsCardAction = (verb: string, data: Record<string, unknown> = {}) => ({
  type: "invoke",
  name: "adaptiveCard/action",
  from: teamsUser,
  conversation: teamsConversation,
  channelData: { tenant: { id: TEAMS_TENANT } },
  value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
});

/** What Teams posts when the user types a message in the personal chat. */
export const teamsMessage = (text: string) => ({
  type: "message",
  text,
  from: teamsUser,
  conversation: teamsConversation,
  channelData: { tenant: { id: TEAMS_TENANT } },
});
