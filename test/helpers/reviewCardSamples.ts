import { formatMessage } from "../../src/cards/messages.js";
import type { CardData } from "../../src/cards/models.js";
import { languageOf, type Strings } from "../../src/cards/strings.js";
import { formatDate } from "../../src/features/cardText.js";
import { VERBS } from "../../src/features/verbs.js";

/** What an admin typed in the samples: data, shown as written whatever the reader's language. */
export const REVIEW_SAMPLE_DATA = ["They run our helpdesk under contract until June, and the contract names these roles."] as const;

/** Realistic data for the access review's cards: long partner names, Global administrator, each kind of decision. */
export function reviewCardSamples(s: Strings): {
  accessReview: Array<CardData["accessReview"]>;
  accessReviewDecision: Array<CardData["accessReviewDecision"]>;
  extensionRequest: Array<CardData["extensionRequest"]>;
} {
  const t = s.accessReview;
  // Dates as the views write them, in the samples' language.
  const day = (iso: string) => formatDate(`${iso}T00:00:00.000Z`, languageOf(s));
  const facts = (roles: string, ends: string) => [
    { title: t.roles, value: roles },
    { title: t.since, value: day("2026-03-03") },
    { title: t.ends, value: ends },
  ];
  const buttons = (partnerId: string) =>
    (["keep", "remove", "contact"] as const).map((choice) => ({
      title: choice === "keep" ? t.keep : choice === "remove" ? t.remove : t.contact,
      verb: VERBS.accessReview.decisionForm,
      data: { reviewId: "review-2026-10", partnerId, choice },
    }));
  const roles = `${s.roles.globalAdministrator.name}, ${s.roles.helpdeskAdministrator.name}, ${s.roles.licenseAdministrator.name}`;
  const open: CardData["accessReview"] = {
    reviewId: "review-2026-10",
    intro: formatMessage(s, t.introOnDemand, { name: "Demo Admin", date: day("2026-10-01") }),
    progressText: formatMessage(s, t.progress, { decided: 2, total: 3 }),
    items: [
      {
        name: "Nordic Cloud & Security Consulting Partners International AB",
        globalAdmin: true,
        facts: facts(roles, day("2027-03-01")),
        decisionText: "",
        actions: buttons("nordic"),
      },
      {
        name: "Northwind Managed Services",
        globalAdmin: false,
        facts: facts(s.roles.helpdeskAdministrator.name, day("2027-03-01")),
        decisionText: formatMessage(s, t.keptBy, {
          name: "Bea Billing",
          date: day("2026-10-02"),
          justification: REVIEW_SAMPLE_DATA[0],
        }),
        actions: [],
      },
      {
        name: "Contoso Cloud Partners",
        globalAdmin: false,
        facts: facts(s.roles.licenseAdministrator.name, s.common.notSet),
        decisionText: formatMessage(s, t.removedBy, {
          name: "Demo Admin",
          date: day("2026-10-02"),
          roles: s.roles.licenseAdministrator.name,
        }),
        actions: [],
      },
    ],
    completedText: "",
    canComplete: true,
    refreshUserIds: ["29:admin-1", "29:admin-2"],
    banner: { text: formatMessage(s, t.reminder, { date: day("2026-10-01") }), style: "accent" },
  };
  const partner = "Nordic Cloud & Security Consulting Partners International AB";
  const x = s.extension;
  return {
    extensionRequest: [
      {
        partnerId: "nordic",
        title: formatMessage(s, x.askTitle, { partner }),
        intro: formatMessage(s, x.askIntro, { partner, date: day("2027-03-01") }),
        points: [
          { text: formatMessage(s, x.ruleNewInvitation, { partner }), color: "Default" },
          { text: formatMessage(s, x.ruleAutoExtend, { partner }), color: "Default" },
          { text: x.ruleNoEmail, color: "Default" },
        ],
        messageLabel: formatMessage(s, x.message, { partner }),
      },
      {
        partnerId: "nordic",
        title: formatMessage(s, x.askTitle, { partner }),
        intro: formatMessage(s, x.askIntroNoEnd, { partner }),
        points: [
          { text: formatMessage(s, x.ruleNewInvitation, { partner }), color: "Default" },
          { text: x.ruleGlobalAdmin, color: "Attention" },
        ],
        messageLabel: formatMessage(s, x.message, { partner }),
      },
    ],
    accessReview: [
      open,
      {
        ...open,
        intro: formatMessage(s, t.introScheduled, { date: day("2026-10-01") }),
        progressText: formatMessage(s, t.progress, { decided: 3, total: 3 }),
        items: open.items.map((i) => ({
          ...i,
          actions: [],
          decisionText: i.decisionText || formatMessage(s, t.contactedBy, { name: "Demo Admin", date: day("2026-10-02") }),
        })),
        completedText: formatMessage(s, t.completedBy, { name: "Bea Billing", date: day("2026-10-03") }),
        canComplete: false,
        refreshUserIds: [],
        banner: { text: formatMessage(s, t.undecided, { count: 1, names: "Northwind Managed Services" }), style: "warning" },
      },
    ],
    accessReviewDecision: (["keep", "remove", "contact"] as const).map((choice) => ({
      reviewId: "review-2026-10",
      partnerId: "nordic",
      choice,
      title: formatMessage(s, choice === "keep" ? t.keepTitle : choice === "remove" ? t.removeTitle : t.contactTitle, {
        partner: "Nordic Cloud & Security Consulting Partners International AB",
      }),
      intro:
        choice === "contact"
          ? formatMessage(s, t.contactIntro, { partner: "Nordic Cloud & Security Consulting Partners International AB" })
          : "",
      justificationLabel: formatMessage(s, t.keepJustification, {
        partner: "Nordic Cloud & Security Consulting Partners International AB",
      }),
      roleChoices: [
        { title: `${s.roles.globalAdministrator.name} (${s.common.broadestRole})`, value: "62e90394-69f5-4237-9190-012177145e10" },
        { title: s.roles.helpdeskAdministrator.name, value: "729827e3-9c14-49f7-bb1b-9608f156bbb8" },
      ],
      chosen: "62e90394-69f5-4237-9190-012177145e10,729827e3-9c14-49f7-bb1b-9608f156bbb8",
      globalAdmin: true,
      note: choice === "remove" ? s.partners.removeAlsoInAdminCenter : "",
      confirmTitle: choice === "keep" ? t.keepRoles : choice === "remove" ? t.remove : t.send,
      confirmStyle: choice === "remove" ? ("destructive" as const) : ("positive" as const),
      banner: choice === "keep" ? { text: t.justificationRequired, style: "warning" as const } : null,
      simulationLabel: choice === "remove" ? s.simulation.label : "",
    })),
  };
}
