import type { IncomingMessage } from "node:http";
import { brotliDecompress, gunzip, inflate, type InputType } from "node:zlib";
import { promisify } from "node:util";
import { z } from "zod";

/** Activities are small; the cap applies to the body as it will be parsed, after any decompression. */
export const MAX_ACTIVITY_BYTES = 512 * 1024;

/** Display names (from.name and the like) are bounded to this many characters before anything stores or shows them. */
export const MAX_DISPLAY_NAME_LENGTH = 256;

export class BadRequest extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = "BadRequest";
  }
}

const decoders: Record<string, (input: InputType, options: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/**
 * Reads a request body with a hard cap, inflating gzip/deflate/br ourselves with the same cap on the output,
 * so a small compressed body cannot become megabytes and a body that is not what its encoding says is a 400,
 * never an exception in a stream with no error handler.
 */
export async function readBody(req: IncomingMessage, maxBytes = MAX_ACTIVITY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BadRequest(413, `The request body is larger than ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const raw = Buffer.concat(chunks);
  const encoding = String(req.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  if (encoding === "identity" || encoding === "") return raw;
  const decode = decoders[encoding];
  if (!decode) throw new BadRequest(415, `Content-Encoding ${encoding} is not supported.`);
  try {
    return await decode(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) {
      throw new BadRequest(413, `The request body is larger than ${maxBytes} bytes once decompressed.`);
    }
    throw new BadRequest(400, `The request body is not valid ${encoding} data.`);
  }
}

/**
 * The minimum an activity must be before botbuilder sees it: an object with a string type, and string
 * fields where botbuilder calls string methods. Channels always send these; anything else is a bad request.
 */
const ActivityEnvelopeSchema = z
  .object({
    type: z.string().min(1).max(100),
    serviceUrl: z.string().max(2_000).optional(),
    channelId: z.string().max(100).optional(),
    name: z.string().max(200).optional(),
  })
  .passthrough();

export function parseActivity(body: Buffer): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new BadRequest(400, "The request body is not valid JSON.");
  }
  const parsed = ActivityEnvelopeSchema.safeParse(json);
  if (!parsed.success)
    throw new BadRequest(400, "The request body is not a Bot Framework activity (it needs a string type, and a string serviceUrl if any).");
  return sanitize(parsed.data);
}

/**
 * Fields a channel may omit or mistype that botbuilder would trip over, set to what "absent" means: a
 * mistyped locale or text is dropped, ids that must be strings are dropped, and entities keep only objects with a
 * string type (a mention also needs its `mentioned` account): botbuilder's mention helpers call `type.toLowerCase()`
 * and read `mentioned.id` on every entity, so one malformed entity would fail the whole turn.
 */
function sanitize(activity: Record<string, unknown>): Record<string, unknown> {
  const out = { ...activity };
  for (const field of ["locale", "text", "replyToId", "id"])
    if (out[field] !== undefined && typeof out[field] !== "string") delete out[field];
  if (out["entities"] !== undefined) out["entities"] = Array.isArray(out["entities"]) ? out["entities"].filter(isWellFormedEntity) : [];
  for (const field of ["membersAdded", "membersRemoved"]) {
    if (out[field] !== undefined)
      out[field] = Array.isArray(out[field]) ? (out[field] as unknown[]).filter((m) => isObject(m) && typeof m["id"] === "string") : [];
  }
  for (const field of ["from", "recipient", "conversation"]) {
    const account = out[field];
    if (account === undefined) continue;
    if (!isObject(account)) {
      delete out[field];
      continue;
    }
    const clean = { ...account };
    for (const key of ["id", "name", "aadObjectId", "conversationType"])
      if (clean[key] !== undefined && typeof clean[key] !== "string") delete clean[key];
    // A display name is whatever the client typed: bounded here, so no store or card ever sees 400 KB of it.
    if (typeof clean["name"] === "string") clean["name"] = boundDisplayName(clean["name"]);
    out[field] = clean;
  }
  if (out["channelData"] !== undefined && !isObject(out["channelData"])) delete out["channelData"];
  return withoutMistypedTenant(out);
}

/**
 * A tenant id that is there but not a string is a malformed identity: the bot must refuse it, not guess the tenant
 * from elsewhere. Both places a tenant is read from are dropped, so the bot finds no tenant and answers with its
 * "which organization?" card; left in place, a numeric `conversation.tenantId` would be copied into that reply and
 * fail the Bot Connector client's serializer, and the user would hear nothing.
 */
function withoutMistypedTenant(activity: Record<string, unknown>): Record<string, unknown> {
  const conversation = activity["conversation"];
  const channelData = activity["channelData"];
  const conversationTenant = isObject(conversation) ? conversation["tenantId"] : undefined;
  const channelTenant = isObject(channelData) && isObject(channelData["tenant"]) ? channelData["tenant"]["id"] : undefined;
  const mistyped = (value: unknown) => value !== undefined && value !== null && typeof value !== "string";
  if (!mistyped(conversationTenant) && !mistyped(channelTenant)) return activity;
  const out = { ...activity };
  if (isObject(conversation)) {
    const { tenantId: _dropped, ...rest } = conversation;
    out["conversation"] = rest;
  }
  if (isObject(channelData)) {
    const { tenant: _dropped, ...rest } = channelData;
    out["channelData"] = rest;
  }
  return out;
}

/** A display name trimmed and cut to MAX_DISPLAY_NAME_LENGTH characters, with an ellipsis when it was cut. */
export function boundDisplayName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length <= MAX_DISPLAY_NAME_LENGTH) return trimmed;
  return `${Array.from(trimmed.slice(0, MAX_DISPLAY_NAME_LENGTH))
    .slice(0, MAX_DISPLAY_NAME_LENGTH - 1)
    .join("")
    .trimEnd()}…`;
}

const isWellFormedEntity = (entity: unknown): boolean =>
  isObject(entity) &&
  typeof entity["type"] === "string" &&
  (entity["type"].toLowerCase() !== "mention" || (isObject(entity["mentioned"]) && typeof entity["mentioned"]["id"] === "string"));

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
