import { acceptAgreement, reviewAgreement } from "./agreements/acceptAgreement.js";
import { openContactForm, searchPartners, sendContact, startFindPartner } from "./find-partner/handlers.js";
import { showMenu } from "./menu/showMenu.js";
import {
  acceptInvitationRoute,
  declineForm,
  declineInvitationRoute,
  listInvitations,
  reviewInvitation,
  showInvitation,
} from "./invitations/handlers.js";
import { partnerConfirmEnd } from "./partner-side/confirmEnd.js";
import { partnerCheckConnection, partnerConnection, partnerDisconnect } from "./partner-side/connection.js";
import { partnerInvitationForm, partnerSendInvitation } from "./partner-side/sendInvitation.js";
import { partnerCustomers, partnerInvitations, partnerRequests } from "./partner-side/work.js";
import { showPartnerTypes } from "./partner-types/showPartnerTypes.js";
import { endRelationshipForm, requestEnd } from "./relationships/endRelationship.js";
import { listPartners } from "./relationships/listPartners.js";
import { confirmRemoveRoles, removeRoles } from "./relationships/removeRoles.js";
import { showPartner } from "./relationships/showPartner.js";
import { resetDemo } from "./demo/resetDemo.js";
import { requestAuditExport } from "./audit-export/exportHistory.js";
import { confirmFourEyes, setFourEyesRoute, showSettings } from "./settings/fourEyesSettings.js";
import { approveInvitationRoute } from "./invitations/approve.js";
import { askExtension } from "./lifecycle/askExtension.js";
import { partnerAutoExtend } from "./partner-side/autoExtend.js";
import { reviewComplete, reviewDecide, reviewDecisionForm, showReview, startReviewRoute } from "./access-review/handlers.js";
import { letItEnd } from "./lifecycle/handlers.js";
import type { Route } from "./types.js";

/** Every card verb the bot answers. The router refuses anything not listed here. */
export const ROUTES: readonly Route[] = [
  showMenu,
  showPartnerTypes,
  startFindPartner,
  searchPartners,
  openContactForm,
  sendContact,
  listInvitations,
  showInvitation,
  reviewInvitation,
  acceptInvitationRoute,
  declineForm,
  declineInvitationRoute,
  listPartners,
  showPartner,
  reviewAgreement,
  acceptAgreement,
  confirmRemoveRoles,
  removeRoles,
  endRelationshipForm,
  requestEnd,
  partnerInvitationForm,
  partnerSendInvitation,
  partnerAutoExtend,
  partnerConfirmEnd,
  partnerConnection,
  partnerCheckConnection,
  partnerDisconnect,
  partnerRequests,
  partnerInvitations,
  partnerCustomers,
  approveInvitationRoute,
  showSettings,
  confirmFourEyes,
  setFourEyesRoute,
  startReviewRoute,
  showReview,
  reviewDecisionForm,
  reviewDecide,
  reviewComplete,
  askExtension,
  letItEnd,
  // Last: the authorization matrix runs its allowed pairs in this order (an approval adds a partner to the list the
  // list's pair expects on its first page), and resetting the demo must come after the rest.
  resetDemo,
  requestAuditExport,
];
