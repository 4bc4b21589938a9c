/**
 * Pages of Microsoft's admin portals that cards link to. Partner Desk never calls these pages' endpoints (they
 * are not an API); it sends the admin there, where only a Global administrator can give a partner's roles effect.
 */
export const LINKS = {
  /** Microsoft 365 admin center, Settings › Partner relationships: approve, review and remove partners' roles. */
  adminCenterPartners: "https://admin.microsoft.com/AdminPortal/Home#/partners",
} as const;
