/**
 * Renders Adaptive Cards the way a Teams client draws them: Microsoft's `adaptivecards` renderer (from
 * node_modules, no network) with Teams' own host config, in a real Chromium (@sparticuz/chromium, which ships the
 * browser inside the npm package) driven by puppeteer-core. Shared by `npm run cards:gallery` and the card
 * rendering test, so what the test judges is what the gallery shows.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import chromium from "@sparticuz/chromium";
import puppeteer, { type Browser, type Page } from "puppeteer-core";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Teams' chat column: the width at which the issue's findings were seen. */
export const CHAT_WIDTH = 450;

export type Theme = "light" | "dark";
export const THEMES: readonly Theme[] = ["light", "dark"];

/** Microsoft's published Teams host configs, committed under docs/cards/host-config (see its README). */
export function hostConfig(theme: Theme): HostConfigJson {
  const path = join(here, "..", "..", "docs", "cards", "host-config", `microsoft-teams-${theme}.json`);
  return JSON.parse(readFileSync(path, "utf8")) as HostConfigJson;
}
export interface HostConfigJson {
  actions: { maxActions: number };
  containerStyles: { default: { backgroundColor: string } };
  [key: string]: unknown;
}

export interface RenderOptions {
  theme: Theme;
  width?: number;
  /** Take a PNG of the card as a user first sees it. */
  screenshot?: boolean;
}

export interface RenderedCard {
  /** Everything a careful reviewer would refuse: cut titles, too many actions, parse and validation events. */
  problems: string[];
  png?: Uint8Array;
}

export interface CardRenderer {
  render(card: unknown, options: RenderOptions): Promise<RenderedCard>;
  close(): Promise<void>;
}

/**
 * Teams writes in Segoe UI, which is not redistributable and not on Linux. Open Sans ships inside
 * @sparticuz/chromium (extracted next to the browser); it is a humanist sans like Segoe UI and, to our reading
 * of both, a little wider, so measuring with it errs towards flagging a title. Loading it explicitly keeps the
 * measurements the same on every machine, whatever fonts the system has.
 */
function fontFaces(): string {
  const dir = join(tmpdir(), "fonts", "fonts", "Open_Sans");
  const face = (file: string, weight: string, style = "normal") => {
    let data: Buffer;
    try {
      data = readFileSync(join(dir, file));
    } catch {
      throw new Error(
        `Open Sans is missing from ${dir}. @sparticuz/chromium extracts it together with the browser; ` +
          `delete ${join(tmpdir(), "chromium")} so the next run extracts both again.`,
      );
    }
    return `@font-face { font-family: "Segoe UI"; font-weight: ${weight}; font-style: ${style}; src: url(data:font/ttf;base64,${data.toString("base64")}) format("truetype"); }`;
  };
  return [
    face("OpenSans-Regular.ttf", "100 500"),
    face("OpenSans-Bold.ttf", "600 900"),
    face("OpenSans-Italic.ttf", "100 900", "italic"),
  ].join("\n");
}

/**
 * Buttons approximating Teams' Fluent UI buttons (32 px high, at least 96 px wide, 20 px padding, 4 px corners),
 * over the renderer's own stylesheet, whose narrower buttons would let a title pass that Teams cuts.
 */
const TEAMS_LIKE_CSS = `
  body { margin: 0; padding: 16px; font-family: "Segoe UI", sans-serif; }
  #card { width: var(--chat-width); border-radius: 4px; overflow: hidden; }
  .ac-pushButton { min-width: 96px; min-height: 32px; padding: 0 20px; border-radius: 4px; }
  /* The overflow menu's "..." (secondary actions) is an icon button in Teams, not a full-width one. */
  .ac-pushButton[aria-label="More options"] { min-width: 32px; padding: 0 8px; }
  .ac-input { font-family: "Segoe UI", sans-serif; }
  body.dark .ac-pushButton:not(.style-positive):not(.style-destructive) { background: #2d2c2c; color: #ffffff; border-color: #605e5c; }
  body.dark a.ac-anchor:link, body.dark a.ac-anchor:visited { color: #a6a7dc; }
`;

/**
 * Runs in the page: renders one card and reports what a reviewer would refuse. Plain JavaScript in a string, so
 * the TypeScript loader never rewrites it (puppeteer ships functions to the page by their source text).
 */
const PAGE_SCRIPT = String.raw`
(() => {
  const AC = window.AdaptiveCards;
  const escapeHtml = (text) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  // The markdown Teams renders in a TextBlock that our cards use: links and bold.
  AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = escapeHtml(text)
      .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, (_m, label, url) => '<a class="ac-anchor" href="' + url + '" target="_blank">' + label + "</a>")
      .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
    result.didProcess = true;
  };
  const argbToCss = (color) => (/^#[0-9a-f]{8}$/i.test(color) ? "#" + color.slice(3) : color);

  /** Every action collection (the card's and each ActionSet's) in the card JSON, with a readable place. */
  const actionLists = (node, path, out) => {
    if (Array.isArray(node)) node.forEach((child, i) => actionLists(child, path + "[" + i + "]", out));
    else if (node && typeof node === "object") {
      if (Array.isArray(node.actions)) out.push({ path: path + ".actions", actions: node.actions });
      for (const [key, value] of Object.entries(node)) actionLists(value, path + "." + key, out);
    }
    return out;
  };

  const cutContent = (root, where) => {
    const problems = [];
    const rootBox = root.getBoundingClientRect();
    for (const button of root.querySelectorAll("button.ac-pushButton")) {
      if (button.offsetParent === null) continue; // hidden (a collapsed ShowCard, an invisible element)
      const label = button.getAttribute("aria-label") || button.innerText;
      const title = button.querySelector("div") || button;
      const box = button.getBoundingClientRect();
      if (title.scrollWidth > title.clientWidth + 0.5)
        problems.push(where + 'button "' + label + '" is cut: its title needs ' + title.scrollWidth + " px and has " + title.clientWidth);
      else if (box.right > rootBox.right + 0.5 || box.left < rootBox.left - 0.5)
        problems.push(where + 'button "' + label + '" sticks out of the card');
    }
    // Text that does not wrap is cut with an ellipsis: a choice's or toggle's label without wrap, a TextBlock.
    for (const text of root.querySelectorAll(".ac-textBlock")) {
      if (text.offsetParent === null || text.closest("button")) continue;
      if (text.scrollWidth > text.clientWidth + 0.5)
        problems.push(where + 'text "' + text.innerText.slice(0, 60) + '" is cut: it needs ' + text.scrollWidth + " px and has " + text.clientWidth + " (wrap it)");
    }
    return problems;
  };

  window.renderCard = (cardJson, hostConfigJson, width, theme) => {
    const problems = [];
    const host = document.getElementById("card");
    host.replaceChildren();
    document.body.style.setProperty("--chat-width", width + "px");
    document.body.style.background = argbToCss(hostConfigJson.containerStyles.default.backgroundColor);
    document.body.classList.toggle("dark", theme === "dark");

    const maxActions = hostConfigJson.actions.maxActions;
    for (const list of actionLists(cardJson, "card", []))
      if (list.actions.length > maxActions)
        problems.push(list.path + " has " + list.actions.length + " actions; the host config allows " + maxActions);

    const card = new AC.AdaptiveCard();
    card.hostConfig = new AC.HostConfig(hostConfigJson);
    const context = new AC.SerializationContext();
    card.parse(cardJson, context);
    for (let i = 0; i < context.eventCount; i++) {
      const event = context.getEventAt(i);
      problems.push("parse: " + (AC.ValidationEvent[event.event] || event.event) + ": " + event.message);
    }
    for (const event of card.validateProperties().validationEvents)
      problems.push("validation: " + (AC.ValidationEvent[event.event] || event.event) + ": " + event.message);

    const rendered = card.render();
    if (!rendered) return { problems: problems.concat("the renderer drew nothing") };
    host.appendChild(rendered);
    problems.push(...cutContent(rendered, ""));

    // Inline cards behind Action.ShowCard: open each in turn and measure its buttons too.
    const expanders = [...rendered.querySelectorAll("button.ac-pushButton.expandable")];
    for (const expander of expanders) {
      const label = expander.getAttribute("aria-label") || expander.innerText;
      expander.click();
      problems.push(...cutContent(rendered, 'in "' + label + '": '));
      expander.click();
    }
    return { problems, height: host.getBoundingClientRect().height };
  };
})();
`;

export async function openCardRenderer(): Promise<CardRenderer> {
  const browser: Browser = await puppeteer.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
    defaultViewport: { width: CHAT_WIDTH + 32, height: 800, deviceScaleFactor: 1 },
  });
  try {
    const page: Page = await browser.newPage();
    const consoleProblems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "warn" || message.type() === "error") consoleProblems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => consoleProblems.push(`page error: ${String(error)}`));
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"></head><body><div id="card"></div></body></html>`);
    await page.addStyleTag({ path: require.resolve("adaptivecards/dist/adaptivecards.css") });
    await page.addStyleTag({ content: fontFaces() + TEAMS_LIKE_CSS });
    await page.addScriptTag({ path: require.resolve("adaptivecards/dist/adaptivecards.js") });
    await page.addScriptTag({ content: PAGE_SCRIPT });
    // @font-face fonts load on first use; load both weights before anything is measured.
    await page.evaluate(`Promise.all([document.fonts.load('400 14px "Segoe UI"'), document.fonts.load('600 14px "Segoe UI"')])`);

    return {
      async render(card, options) {
        consoleProblems.length = 0;
        const config = hostConfig(options.theme);
        const result = (await page.evaluate(
          `window.renderCard(${JSON.stringify(card)}, ${JSON.stringify(config)}, ${options.width ?? CHAT_WIDTH}, ${JSON.stringify(options.theme)})`,
        )) as { problems: string[] };
        const problems = [...result.problems, ...consoleProblems];
        if (!options.screenshot) return { problems };
        const element = await page.$("#card");
        const png = await element!.screenshot({ type: "png" });
        return { problems, png };
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
