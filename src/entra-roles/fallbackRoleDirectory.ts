import type { RoleTemplateId } from "../domain/roles.js";
import { GraphConsentError } from "./errors.js";
import type { RoleDirectory } from "./roleDirectory.js";

/**
 * Graph first; the role assignment table only for a tenant that has not let the app read its roles.
 *
 * Only GraphConsentError switches to the table. A tenant that did grant consent is answered by Graph alone,
 * even when Graph says "no roles": the table never adds roles Entra ID does not know of. And an outage
 * (GraphUnavailableError) propagates: the table may hold old assignments of a person whose Global
 * administrator role was removed since, and an outage is exactly when nobody would notice them being used.
 * Failing the action is the safe answer; the caller shows a neutral error and the user retries.
 *
 * It logs nothing itself; whoever wires it may pass onConsentFallback to learn which tenants run on the table.
 */
export class FallbackRoleDirectory implements RoleDirectory {
  constructor(
    private readonly graph: RoleDirectory,
    private readonly table: RoleDirectory,
    private readonly onConsentFallback?: (tenantId: string, reason: GraphConsentError) => void,
  ) {}

  rolesOf(tenantId: string, userId: string): Promise<readonly RoleTemplateId[]> {
    return this.withFallback(tenantId, (directory) => directory.rolesOf(tenantId, userId));
  }

  /** The same rule for names: a consenting tenant's role holders come from Graph alone. */
  holdersOf(tenantId: string, roleIds: readonly RoleTemplateId[]): Promise<readonly string[]> {
    return this.withFallback(tenantId, (directory) => directory.holdersOf(tenantId, roleIds));
  }

  private async withFallback<T>(tenantId: string, lookup: (directory: RoleDirectory) => Promise<T>): Promise<T> {
    try {
      return await lookup(this.graph);
    } catch (error) {
      if (!(error instanceof GraphConsentError)) throw error;
      this.onConsentFallback?.(tenantId, error);
      return lookup(this.table);
    }
  }
}
