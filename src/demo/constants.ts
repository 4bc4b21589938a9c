/**
 * The fictional organisations of local mode. Ids are fixed so the README can name them and so a restart
 * finds the data it seeded before.
 */
export const DEMO = {
  customerTenantId: "c0ffee00-0000-4000-8000-000000000001",
  customerName: "Fabrikam Demo",
  admin: { tenantId: "c0ffee00-0000-4000-8000-000000000001", userId: "c0ffee00-0000-4000-8000-0000000000ad", name: "Demo Admin" },
  /** A user of the demo tenant with no admin role: Emulator user id "demo-member". Every decision is refused. */
  member: {
    tenantId: "c0ffee00-0000-4000-8000-000000000001",
    userId: "c0ffee00-0000-4000-8000-0000000000ee",
    name: "Demo Member",
    emulatorUserId: "demo-member",
  },
  partnerContact: {
    tenantId: "c0ffee00-0000-4000-8000-0000000000b0",
    userId: "c0ffee00-0000-4000-8000-0000000000b1",
    name: "Demo Partner Contact",
  },
  /** The directory partner whose contact the second Emulator user plays; it sent the pending invitation. */
  invitingPartnerId: "contoso-cloud-partners",
  /** The partner the demo tenant already works with, with admin roles. */
  activePartnerId: "northwind-managed-services",
  invitationId: "demo-invitation-1",
  agreementVersion: "2024-06",
} as const;

/**
 * Who a local client's user plays in the demo: the demo partner contact when their user id is
 * DEMO_PARTNER_USER_ID, a member without roles for "demo-member", the demo Global administrator otherwise.
 */
export function demoIdentities(partnerUserId: string): (channelUserId: string | undefined) => { tenantId: string; userId: string } {
  return (channelUserId) => {
    const person =
      channelUserId === partnerUserId ? DEMO.partnerContact : channelUserId === DEMO.member.emulatorUserId ? DEMO.member : DEMO.admin;
    return { tenantId: person.tenantId, userId: person.userId };
  };
}

/**
 * The tenant a demo person belongs to, by their Entra object id, for a local client that puts everyone in one
 * tenant (Agents Playground): the demo partner contact is of Contoso's tenant, whatever tenant the client says.
 */
export function demoTenantOf(userId: string): string | undefined {
  return userId === DEMO.partnerContact.userId ? DEMO.partnerContact.tenantId : undefined;
}
