import { showMenu } from "./help/showMenu.js";
import { showPartnerTypes } from "./partner-types/showPartnerTypes.js";
import type { Route } from "./types.js";

/** Every card verb the bot answers. The router refuses anything not listed here. */
export const ROUTES: readonly Route[] = [showMenu, showPartnerTypes];
