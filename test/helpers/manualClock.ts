import type { Clock } from "../../src/domain/time.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A clock a test moves (days, quarters) without sleeping: everything time-dependent in the app reads it. */
export class ManualClock implements Clock {
  private at: number;
  constructor(start: Date | string) {
    this.at = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.at);
  }
  set(to: Date | string): this {
    this.at = new Date(to).getTime();
    return this;
  }
  advanceDays(days: number): this {
    this.at += days * DAY_MS;
    return this;
  }
  advanceMs(ms: number): this {
    this.at += ms;
    return this;
  }
}
