import { expect } from "chai";
import { parseConversationReference } from "../../src/bot/conversationReference.js";
import { ConversationReferenceSchema } from "../../src/domain/conversation.js";

const reference = (serviceUrl = "https://smba.trafficmanager.net/emea/") => ({
  channelId: "msteams",
  serviceUrl,
  conversation: { id: "a:1", tenantId: "t-1", conversationType: "personal" },
  bot: { id: "28:bot", name: "Partner Desk" },
  user: { id: "29:user", name: "Ada", aadObjectId: "u-1" },
  locale: "en-US",
  unexpected: "dropped by the schema",
});

describe("a turn's conversation reference is parsed once per distinct reference", () => {
  it("gives what the schema gives, on the first turn and on later ones", () => {
    const expected = ConversationReferenceSchema.parse(reference());
    expect(parseConversationReference(reference())).to.deep.equal(expected);
    expect(parseConversationReference(reference())).to.deep.equal(expected);
    expect(parseConversationReference(reference())).to.not.have.property("unexpected");
  });

  it("still refuses a reference the schema refuses, also after a valid one was seen", () => {
    parseConversationReference(reference());
    expect(() => parseConversationReference({ ...reference(), serviceUrl: "" })).to.throw();
    expect(() => parseConversationReference({ ...reference(), serviceUrl: "" })).to.throw();
  });

  it("sees a changed reference (a new serviceUrl) as new", () => {
    parseConversationReference(reference());
    expect(parseConversationReference(reference("https://smba.trafficmanager.net/amer/")).serviceUrl).to.equal(
      "https://smba.trafficmanager.net/amer/",
    );
  });

  it("hands out a value no turn can change for the next one", () => {
    const shared = parseConversationReference(reference());
    expect(() => {
      (shared.user as { name?: string }).name = "Mallory";
    }).to.throw(TypeError);
    expect(parseConversationReference(reference()).user.name).to.equal("Ada");
  });
});
