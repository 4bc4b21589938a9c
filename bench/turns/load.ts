/**
 * The load generator for the turns benchmark: N conversations at once, each running its script of turns one
 * after the other (closed loop, no think time), as Teams would post them: messages and adaptiveCard/action
 * invokes on the msteams channel. A message's latency runs until its reply reached the channel; an invoke's
 * until its invoke response arrived. Bounded: every turn has a timeout and the whole load a deadline.
 */
import { randomUUID } from "node:crypto";
import { LoopbackConnector, type ChannelRequest } from "../../test/helpers/loopbackConnector.js";
import { HttpClient } from "../lib/http.js";
import { now, sleep } from "../lib/stats.js";
import { seededRandom } from "../../test/helpers/seededRandom.js";
import { personalChat, teamsCardAction, type PersonalChat } from "../../test/helpers/activities.js";

export type Step =
  | { kind: "message"; label: string; text: string; check?: (reply: any) => string | undefined }
  | { kind: "invoke"; label: string; verb: string; data: Record<string, unknown>; check?: (body: any) => string | undefined };

export interface Talker {
  index: number;
  tenantId: string;
  userId: string;
  name: string;
  conversationId: string;
}

export interface TurnSample {
  kind: Step["kind"];
  label: string;
  ms: number;
  error?: string;
}

export interface LoadResult {
  samples: TurnSample[];
  wallMs: number;
  /** Completed turns per second over the whole load. */
  throughput: number;
  errors: number;
  firstErrors: string[];
  timedOut: boolean;
}

/** Resolves a message turn when the bot's reply to it reaches the channel. */
class ReplyWaiters {
  private readonly waiting = new Map<string, { resolve(activity: any): void; reject(error: Error): void; timer: NodeJS.Timeout }>();

  wait(activityId: string, timeoutMs: number): Promise<any> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(activityId);
        reject(new Error(`no reply to ${activityId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(activityId, { resolve, reject, timer });
    });
  }

  arrived(request: ChannelRequest): void {
    if (request.kind !== "reply" || !request.activityId) return;
    const waiter = this.waiting.get(request.activityId);
    if (!waiter) return;
    this.waiting.delete(request.activityId);
    clearTimeout(waiter.timer);
    waiter.resolve(request.activity);
  }

  cancelAll(): void {
    for (const [, waiter] of this.waiting) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error("cancelled"));
    }
    this.waiting.clear();
  }
}

/** One load generator: its channel (where replies arrive) and its HTTP client. Reused for every load. */
export class LoadGenerator {
  private readonly waiters = new ReplyWaiters();
  readonly channel = new LoopbackConnector((request) => {
    this.waiters.arrived(request);
    return undefined;
  });
  private readonly client: HttpClient;

  /** `authorize` gives the channel's Authorization header for a serviceUrl (the bots are registered: every request is signed). */
  constructor(
    maxSockets: number,
    private readonly authorize?: (serviceUrl: string) => Promise<string>,
  ) {
    this.client = new HttpClient(maxSockets);
  }

  private async post(botUrl: string, activity: Record<string, unknown>, timeoutMs: number) {
    const headers: Record<string, string> = this.authorize ? { authorization: await this.authorize(this.channel.serviceUrl) } : {};
    return this.client.postJson(`${botUrl}/api/messages`, activity, timeoutMs, headers);
  }

  async start(): Promise<this> {
    await this.channel.start();
    return this;
  }

  async stop(): Promise<void> {
    this.waiters.cancelAll();
    this.client.close();
    await this.channel.stop();
  }

  chat(talker: Talker): PersonalChat {
    return personalChat(
      { id: `29:bench-user-${talker.index}`, name: talker.name, aadObjectId: talker.userId },
      talker.tenantId,
      talker.conversationId,
    );
  }

  activity(talker: Talker, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: `act-${randomUUID()}`,
      channelId: "msteams",
      serviceUrl: this.channel.serviceUrl,
      timestamp: new Date().toISOString(),
      locale: "en-US",
      recipient: { id: "28:bench-bot", name: "Partner Desk" },
      ...this.chat(talker),
      ...fields,
    };
  }

  /**
   * Opens (or re-opens) one keep-alive connection per talker with a typing activity, which neither bot answers
   * or stores. The servers close connections idle for 5 s and the two bots' loads alternate; without this, the
   * first few dozen turns after such a pause took up to a second in trials, for both bots.
   */
  async connect(botUrl: string, talkers: readonly Talker[], timeoutMs: number): Promise<void> {
    const typing = (talker: Talker) => this.post(botUrl, this.activity(talker, { type: "typing" }), timeoutMs);
    await Promise.all(
      talkers.map((talker) =>
        // A kept-alive socket the server closed just as it was reused answers ECONNRESET: this step exists to replace
        // such sockets, so the typing goes again on a fresh one.
        typing(talker).catch((error: unknown) => {
          if ((error as { code?: unknown }).code !== "ECONNRESET") throw error;
          return typing(talker);
        }),
      ),
    );
  }

  /** Runs one turn and returns its sample (errors are recorded, never thrown). */
  async turn(botUrl: string, talker: Talker, step: Step, timeoutMs: number): Promise<TurnSample> {
    const started = now();
    try {
      if (step.kind === "message") {
        const activity = this.activity(talker, { type: "message", text: step.text });
        const reply = this.waiters.wait(String(activity["id"]), timeoutMs);
        reply.catch(() => undefined);
        const answer = await this.post(botUrl, activity, timeoutMs);
        if (answer.status < 200 || answer.status >= 300) throw new Error(`HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
        const replied = await reply;
        const problem = step.check?.(replied);
        if (problem) throw new Error(problem);
      } else {
        const activity = this.activity(talker, teamsCardAction(step.verb, step.data, this.chat(talker)));
        const answer = await this.post(botUrl, activity, timeoutMs);
        if (answer.status !== 200) throw new Error(`HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
        const body = JSON.parse(answer.text);
        if (body?.statusCode !== 200) throw new Error(`invoke answered ${answer.text.slice(0, 300)}`);
        const problem = step.check?.(body);
        if (problem) throw new Error(problem);
      }
      return { kind: step.kind, label: step.label, ms: now() - started };
    } catch (error) {
      return {
        kind: step.kind,
        label: step.label,
        ms: now() - started,
        error: `${step.label}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }

  /**
   * Every talker runs `rounds` rounds of its script, all talkers at once. Stops starting new turns after
   * `deadlineMs` (the result says so).
   */
  async run(
    botUrl: string,
    talkers: readonly Talker[],
    rounds: number,
    script: (talker: Talker, round: number) => Step[],
    options: {
      turnTimeoutMs: number;
      deadlineMs: number;
      /** Mean pause after each turn (uniform in 0.5x..1.5x); 0 = closed loop. */ thinkMs?: number;
    },
  ): Promise<LoadResult> {
    const samples: TurnSample[] = [];
    const started = now();
    const deadline = started + options.deadlineMs;
    const think = options.thinkMs ?? 0;
    let timedOut = false;
    await Promise.all(
      talkers.map(async (talker) => {
        const random = seededRandom(1000 + talker.index);
        // Paced users do not all start in the same millisecond.
        if (think > 0) await sleep(random() * think);
        for (let round = 0; round < rounds; round++) {
          for (const step of script(talker, round)) {
            if (now() > deadline) {
              timedOut = true;
              return;
            }
            samples.push(await this.turn(botUrl, talker, step, options.turnTimeoutMs));
            if (think > 0) await sleep(think * (0.5 + random()));
          }
        }
      }),
    );
    const wallMs = now() - started;
    const failed = samples.filter((s) => s.error);
    return {
      samples,
      wallMs,
      throughput: (samples.length - failed.length) / (wallMs / 1000),
      errors: failed.length,
      firstErrors: failed.slice(0, 5).map((s) => s.error!),
      timedOut,
    };
  }
}
