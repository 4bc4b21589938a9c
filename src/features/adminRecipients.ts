import type { ConversationReads } from "./ports.js";

/** The Teams ids (MRIs) of the tenant's admins who talk to the bot: their clients refresh an invitation card on view. */
export async function adminTeamsIds(conversations: ConversationReads, tenantId: string): Promise<string[]> {
  const records = await conversations.listForTenant(tenantId);
  return records
    .filter((r) => r.value.reachableAs === "customerAdmin" && r.value.reference.channelId === "msteams")
    .map((r) => r.value.reference.user.id);
}
