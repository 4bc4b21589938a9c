/**
 * The data of the lifecycle's cards (access reviews, extension requests): kept apart from models.ts, which binds
 * the rest, so each file stays small. Same rule: every field a template reads is present.
 */
import type { ActionModel, Banner, Fact, SimulationLabelled, TextColor } from "./models.js";

/** An access review: every partner with admin roles, each with its decision or the buttons to decide; refreshed per reader. */
export type AccessReviewCard = {
  reviewId: string;
  intro: string;
  progressText: string;
  items: Array<{ name: string; globalAdmin: boolean; facts: Fact[]; decisionText: string; actions: ActionModel[] }>;
  completedText: string;
  canComplete: boolean;
  /** The tenant's admins in Teams, whose copy refreshes when viewed; empty elsewhere. */
  refreshUserIds: string[];
  banner: Banner | null;
};

/** One partner's decision in a review: Keep (with the reason), Remove roles (which), or Contact partner (a message). */
export type AccessReviewDecisionCard = {
  reviewId: string;
  partnerId: string;
  choice: "keep" | "remove" | "contact";
  title: string;
  intro: string;
  justificationLabel: string;
  roleChoices: Array<{ title: string; value: string }>;
  chosen: string;
  globalAdmin: boolean;
  note: string;
  confirmTitle: string;
  confirmStyle: "positive" | "destructive" | "default";
  banner: Banner | null;
} & SimulationLabelled;

/** "Ask the partner to extend": the rules in plain words, an optional message, Send. */
export type ExtensionRequestCard = {
  partnerId: string;
  title: string;
  intro: string;
  points: Array<{ text: string; color: TextColor }>;
  messageLabel: string;
};
