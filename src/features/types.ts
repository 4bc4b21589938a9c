import type { z } from "zod";
import type { CardData } from "../cards/models.js";
import type { AdaptiveCardJson, TemplateName } from "../cards/render.js";
import type { Strings } from "../cards/strings.js";
import type { Result } from "../domain/result.js";
import type { RoleTemplateId } from "../domain/roles.js";
import type { Clock } from "../domain/time.js";
import type { DirectoryService } from "../partner-directory/directoryService.js";
import type { RoleDirectory } from "../entra-roles/roleDirectory.js";
import type { Repositories } from "../storage/repositories/index.js";
import type { Verb } from "./verbs.js";

/** The person acting, as the channel vouched for them. */
export interface Identity {
  tenantId: string;
  userId: string;
  name: string;
  locale: string;
}

export interface Services {
  repos: Repositories;
  roleDirectory: RoleDirectory;
  directory: DirectoryService;
  clock: Clock;
}

/** What a feature handler may use: no botbuilder, so the core could move to another bot SDK unchanged. */
export interface FeatureContext {
  identity: Identity;
  /** The actor's directory roles, read at most once per turn and only when a handler asks. */
  roles(): Promise<readonly RoleTemplateId[]>;
  strings: Strings;
  card<N extends TemplateName>(name: N, data: CardData[N]): AdaptiveCardJson;
  services: Services;
  correlationId: string;
  now: Date;
}

export interface Reply {
  card: AdaptiveCardJson;
}
export type Outcome = Result<Reply>;

/** One card verb: its payload schema and its handler. The router parses with the schema before calling. */
export interface Route<S extends z.ZodType = z.ZodType> {
  verb: Verb;
  schema: S;
  handle(input: z.infer<S>, ctx: FeatureContext): Promise<Outcome>;
}

export const defineRoute = <S extends z.ZodType>(route: Route<S>): Route<S> => route;

/** A feature's place in the main menu and the text command that reaches it. */
export interface MenuEntry {
  verb: Verb;
  command: string;
  title(s: Strings): string;
  description(s: Strings): string;
}
