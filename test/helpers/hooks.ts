import { stopSharedAzurite } from "./azurite.js";

/** Mocha root hooks: whatever the run started is stopped, so the process exits cleanly. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(15_000);
    await stopSharedAzurite();
  },
};
