import { randomUUID } from "node:crypto";
import { MessageFactory, type Attachment, type TurnContext } from "botbuilder";
import type { Logger } from "pino";
import { z } from "zod";
import type { Strings } from "../cards/strings.js";
import { fail, type Failure } from "../domain/result.js";
import { exportForActor, type ExportContext } from "../features/audit-export/exportHistory.js";
import { ExportRangeSchema } from "../features/audit-export/range.js";
import type { FileToSend } from "../features/types.js";

/**
 * Files from the bot to the person (the audit export). In Teams' personal chat through the file consent flow: the
 * bot asks to send a file (a FileConsentCard), the person allows it, Teams answers with an upload session in their
 * OneDrive, the bot PUTs the bytes there and posts the file card. Teams offers that flow in personal chat only.
 * Other channels (the Emulator, Web Chat) take the file as a message attachment.
 */
export const FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent";
export const FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info";

/** A file attached as a data: URL travels inside the activity: past this, the person is asked for a shorter range. */
export const MAX_ATTACHMENT_BYTES = 4 * 1024 * 1024;

/** The OneDrive upload may take a while, but Teams is waiting for the invoke's answer. */
const UPLOAD_TIMEOUT_MS = 20_000;

const isTeams = (context: TurnContext) => context.activity.channelId === "msteams";
const isPersonalChat = (context: TurnContext) => context.activity.conversation?.conversationType === "personal";

/** Hands `file` over the way the channel can take it. The file's content goes into no card data, only its range. */
export async function offerFile(context: TurnContext, file: FileToSend, s: Strings): Promise<void> {
  if (isTeams(context) && !isPersonalChat(context)) {
    await context.sendActivity(s.auditExport.personalChatOnly);
    return;
  }
  if (isTeams(context)) {
    const exportId = randomUUID();
    const consent: Attachment = {
      contentType: FILE_CONSENT_CARD,
      name: file.name,
      content: {
        description: file.description,
        sizeInBytes: file.bytes.byteLength,
        acceptContext: { exportId, ...file.rebuild },
        declineContext: { exportId },
      },
    };
    await context.sendActivity(MessageFactory.attachment(consent, s.auditExport.consentHint));
    return;
  }
  if (file.bytes.byteLength > MAX_ATTACHMENT_BYTES) {
    await context.sendActivity(s.auditExport.tooLarge);
    return;
  }
  const attachment: Attachment = {
    contentType: file.contentType,
    name: file.name,
    contentUrl: `data:${file.contentType};base64,${Buffer.from(file.bytes).toString("base64")}`,
  };
  await context.sendActivity(MessageFactory.attachment(attachment, s.auditExport.attachmentHint));
}

/**
 * Where the bot may PUT a file: the upload session Teams offers is in the person's OneDrive (https). Plain http only
 * to this machine, where the tests' channel offers one; never to anywhere else.
 */
const UploadUrlSchema = z.url().refine((text) => {
  const url = new URL(text);
  return url.protocol === "https:" || (url.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname));
});

/** What Teams sends when the person allows the file (fileConsent/invoke, action "accept"). */
const AcceptedFileSchema = z.object({
  type: z.literal("fileUpload"),
  action: z.literal("accept"),
  context: z.object({ exportId: z.string().min(1).max(64) }).catchall(z.unknown()),
  uploadInfo: z.object({
    name: z.string().min(1).max(400),
    uploadUrl: UploadUrlSchema,
    contentUrl: z.url(),
    uniqueId: z.string().min(1).max(200),
    fileType: z.string().max(50),
  }),
});

export const FILE_ERRORS = { offerInvalid: "FILE.OFFER_INVALID", uploadFailed: "FILE.UPLOAD_FAILED" } as const;

/**
 * The person allowed the file: it is built again for them (identity from this activity, roles checked again, the
 * history read afresh), PUT into the upload session Teams opened, and posted as a file card. Resolves to the
 * failure to show, if any.
 */
export async function handOverAcceptedFile(
  context: TurnContext,
  value: unknown,
  ctx: ExportContext,
  log: Logger,
): Promise<Failure | undefined> {
  try {
    return await handOver(context, value, ctx, log);
  } catch (error) {
    // Teams is waiting for the invoke's answer: an outage is told as one, never left to botbuilder's 500.
    log.error({ err: error }, "the file could not be handed over");
    return fail("UNEXPECTED", ctx.strings.errors.unexpected);
  }
}

async function handOver(context: TurnContext, value: unknown, ctx: ExportContext, log: Logger): Promise<Failure | undefined> {
  const s = ctx.strings;
  const accepted = AcceptedFileSchema.safeParse(value);
  const { exportId: _exportId, ...request } = accepted.success ? accepted.data.context : { exportId: "" };
  const range = ExportRangeSchema.safeParse(request);
  if (!accepted.success || !range.success) {
    log.warn({ issues: accepted.success ? "range" : accepted.error.issues.length }, "invalid fileConsent/invoke accept");
    return fail(FILE_ERRORS.offerInvalid, s.auditExport.offerInvalid);
  }
  const built = await exportForActor(ctx, range.data);
  if (!built.ok) return built;
  const { uploadInfo } = accepted.data;
  const uploaded = await putInUploadSession(uploadInfo.uploadUrl, built.value.csv, log);
  if (!uploaded) return fail(FILE_ERRORS.uploadFailed, s.auditExport.uploadFailed);
  const fileCard: Attachment = {
    contentType: FILE_INFO_CARD,
    contentUrl: uploadInfo.contentUrl,
    name: uploadInfo.name,
    content: { uniqueId: uploadInfo.uniqueId, fileType: uploadInfo.fileType },
  };
  await context.sendActivity(MessageFactory.attachment(fileCard, built.value.handedOver));
  log.info({ events: built.value.events, truncated: built.value.truncated }, "audit export saved to the person's OneDrive");
  return undefined;
}

/**
 * The whole file in one request to a OneDrive upload session: Content-Range names all of its bytes, and the session
 * answers 200 or 201 when the file is complete (202 would mean it still expects bytes).
 */
async function putInUploadSession(uploadUrl: string, bytes: Uint8Array, log: Logger): Promise<boolean> {
  try {
    const response = await fetch(uploadUrl, {
      method: "PUT",
      headers: {
        "content-type": "application/octet-stream",
        "content-length": String(bytes.byteLength),
        "content-range": `bytes 0-${bytes.byteLength - 1}/${bytes.byteLength}`,
      },
      body: bytes,
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    if (response.status === 200 || response.status === 201) return true;
    log.warn({ status: response.status }, "the upload session refused the file");
    return false;
  } catch (error) {
    log.warn({ err: error }, "the upload session could not be reached");
    return false;
  }
}
