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
import { askExtensionPlaceholder, letItEnd } from "./lifecycle/handlers.js";
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
  partnerConfirmEnd,
  partnerConnection,
  partnerCheckConnection,
  partnerDisconnect,
  partnerRequests,
  partnerInvitations,
  partnerCustomers,
  askExtensionPlaceholder,
  letItEnd,
  resetDemo,
];
