import type { TableClient } from "@azure/data-tables";
import { personalChat, teamsCardAction, teamsMessage } from "./activities.js";
import { ChannelEmulator, cardOf } from "./channelEmulator.js";

/**
 * What an admin types into the accept step for Partner Center's Agreement record (Teams gives only a display
 * name): every press that accepts the agreement sends it.
 */
export const ACCEPTING_CONTACT = { firstName: "Demo", lastName: "Admin", email: "demo.admin@fabrikam.example" } as const;

/** A user as a channel describes them: Teams gives an Entra id and tenant; the Emulator only an id. */
export interface TestUser {
  id: string;
  name: string;
  aadObjectId?: string;
}

/** What pressing a button returned: a card, or (Teams) an invoke error. */
export interface Answer {
  card?: any;
  error?: { statusCode: number; code: string; message: string };
  text: string;
}

/**
 * Presses card buttons the way each channel does: Teams posts an adaptiveCard/action invoke and reads the next
 * card from the invoke response; the Emulator posts a message with `value` and receives a card update.
 */
export interface Driver {
  readonly channelId: "msteams" | "emulator";
  press(verb: string, data?: Record<string, unknown>, as?: TestUser): Promise<Answer>;
  say(text: string, as?: TestUser): Promise<Answer>;
}

/** `locale`: the client's language, sent on every activity as Teams and the Emulator do (e.g. "sv-SE"). */
export function teamsDriver(channel: ChannelEmulator, tenantId: string, defaultUser: TestUser, locale?: string): Driver {
  const chat = (user: TestUser) => ({ ...personalChat(user, tenantId, "a:journey"), ...(locale ? { locale } : {}) });
  return {
    channelId: "msteams",
    async press(verb, data = {}, as = defaultUser) {
      const result = await channel.post(teamsCardAction(verb, data, chat(as)));
      if (result.status !== 200) throw new Error(`HTTP ${result.status}: ${JSON.stringify(result.body)}`);
      if (result.body.statusCode !== 200)
        return { error: { statusCode: result.body.statusCode, ...result.body.value }, text: JSON.stringify(result.body) };
      return { card: result.body.value, text: JSON.stringify(result.body.value) };
    },
    async say(text, as = defaultUser) {
      channel.clear();
      await channel.post(teamsMessage(text, chat(as)));
      const [reply] = await channel.waitFor((r) => r.kind === "reply");
      const card = cardOf(reply!.activity);
      return { card, text: JSON.stringify(card) };
    },
  };
}

export function emulatorDriver(channel: ChannelEmulator, defaultUser: TestUser, locale?: string): Driver {
  let cardId = 0;
  const language = locale ? { locale } : {};
  return {
    channelId: "emulator",
    async press(verb, data = {}, as = defaultUser) {
      channel.clear();
      const replyToId = `card-${++cardId}`;
      const result = await channel.post({
        type: "message",
        from: { id: as.id, name: as.name },
        value: { ...data, verb },
        replyToId,
        ...language,
      });
      if (result.status !== 200) throw new Error(`HTTP ${result.status}: ${JSON.stringify(result.body)}`);
      const [update] = await channel.waitFor((r) => r.kind === "update" && r.activityId === replyToId);
      const card = cardOf(update!.activity);
      return { card, text: JSON.stringify(card) };
    },
    async say(text, as = defaultUser) {
      channel.clear();
      await channel.post({ type: "message", text, from: { id: as.id, name: as.name }, ...language });
      const [reply] = await channel.waitFor((r) => r.kind === "reply");
      const card = cardOf(reply!.activity);
      return { card, text: JSON.stringify(card) };
    },
  };
}

/** The rows of one tenant's partition, read straight from the table (not through our repositories). */
export async function partitionRows(client: TableClient, tenantId: string): Promise<Array<Record<string, any>>> {
  const rows: Array<Record<string, any>> = [];
  for await (const entity of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${tenantId}'` } })) rows.push(entity);
  return rows;
}

export const rowsOfKind = (rows: Array<Record<string, any>>, kind: string) => rows.filter((r) => r["kind"] === kind);
export const json = (row: Record<string, any> | undefined, field: string): any => (row ? JSON.parse(String(row[field])) : undefined);

/** The data a card's button would send, found by its title (so the test presses what a user would see). */
export function buttonData(card: any, title: string): { verb: string; data: Record<string, unknown> } {
  const found: any[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    if ((node.type === "Action.Execute" || node.type === "Action.Submit") && node.title === title) found.push(node);
    Object.values(node).forEach(walk);
  };
  walk(card);
  const action = found[0];
  if (!action) throw new Error(`no button "${title}" on the card: ${JSON.stringify(card).slice(0, 400)}`);
  if (action.type === "Action.Execute") return { verb: action.verb, data: action.data ?? {} };
  const { verb, ...data } = action.data ?? {};
  return { verb, data };
}

export const buttonTitles = (card: any): string[] => {
  const titles: string[] = [];
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    if (typeof node.type === "string" && node.type.startsWith("Action.") && node.title) titles.push(node.title);
    Object.values(node).forEach(walk);
  };
  walk(card);
  return titles;
};

/** The url of every Action.OpenUrl in a card (or any JSON tree), nested cards and action sets included. */
export function openUrls(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(openUrls);
  if (node === null || typeof node !== "object") return [];
  const record = node as Record<string, unknown>;
  const own = record["type"] === "Action.OpenUrl" && typeof record["url"] === "string" ? [record["url"]] : [];
  return [...own, ...Object.values(record).flatMap(openUrls)];
}

/**
 * What a client sends for the card's inputs when the user changes nothing: each input's id and its initial value
 * (a multi-select's ticked choices, "a,b"). An input without a value is left out, as Teams and Web Chat leave it.
 */
export function inputDefaults(card: any): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (node: any) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    if (typeof node.type === "string" && node.type.startsWith("Input.") && node.id && node.value !== undefined && node.value !== "")
      values[node.id] = String(node.value);
    Object.values(node).forEach(walk);
  };
  walk(card);
  return values;
}
