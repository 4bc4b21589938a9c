import type { IncomingMessage } from "node:http";
import { brotliDecompress, gunzip, inflate, type InputType } from "node:zlib";
import { promisify } from "node:util";
import { z } from "zod";

/** Activities are small; the cap applies to the body as it will be parsed, after any decompression. */
export const MAX_ACTIVITY_BYTES = 512 * 1024;

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
    // tenantId is left as sent: a mistyped tenant is an identity problem the bot refuses, not a field to drop.
    for (const key of ["id", "name", "aadObjectId", "conversationType"])
      if (clean[key] !== undefined && typeof clean[key] !== "string") delete clean[key];
    out[field] = clean;
  }
  if (out["channelData"] !== undefined && !isObject(out["channelData"])) delete out["channelData"];
  return out;
}

const isWellFormedEntity = (entity: unknown): boolean =>
  isObject(entity) &&
  typeof entity["type"] === "string" &&
  (entity["type"].toLowerCase() !== "mention" || (isObject(entity["mentioned"]) && typeof entity["mentioned"]["id"] === "string"));

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
