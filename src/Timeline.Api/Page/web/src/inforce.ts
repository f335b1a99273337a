// What is in force on the cursor day, as of the record time, with each instrument's key provisions.
import { inForce, type Policy } from "./api.js";
import { clear, formatValue, h } from "./dom.js";
import type { Store } from "./state.js";
import { formatInstant } from "./time.js";
import { shortName } from "./timeline.js";

const provisionsShown = 4;

export class InForceList {
  private request = 0;
  private timer = 0;

  constructor(
    private readonly heading: HTMLElement,
    private readonly list: HTMLElement,
    private readonly store: Store,
    private readonly select: (id: string) => void,
  ) {
    store.subscribe((state, previous) => {
      if (state.at !== previous.at || state.asOf !== previous.asOf) {
        this.schedule();
      }
    });
  }

  /** Reload soon: dragging the cursor changes the day many times a second. */
  schedule(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.load(), 120);
  }

  async load(): Promise<void> {
    const request = ++this.request;
    const { at, asOf } = this.store.state;
    this.list.setAttribute("aria-busy", "true");
    try {
      const answer = await inForce(at, asOf);
      if (request !== this.request) {
        return; // a newer day was asked for meanwhile
      }
      clear(
        this.heading,
        `In force on ${at}`,
        h("span", { className: "muted" }, ` · ${answer.items.length} instruments · as recorded ${asOf ? `on ${formatInstant(answer.asOf)}` : "now"}`),
      );
      this.list.dataset.at = at;
      this.list.dataset.asOf = asOf ?? "";
      clear(
        this.list,
        ...(answer.items.length === 0 ? [h("li", { className: "muted" }, "Nothing in force on this day.")] : []),
        ...answer.items.map((item) => this.item(item)),
      );
    } catch (error) {
      if (request === this.request) {
        clear(this.list, h("li", { className: "error", role: "alert" }, `Could not load: ${(error as Error).message}`));
      }
    } finally {
      if (request === this.request) {
        this.list.removeAttribute("aria-busy");
      }
    }
  }

  private item(policy: Policy): HTMLElement {
    const provisions = Object.entries(policy.provisions ?? {});
    const open = h("button", { type: "button", className: "link", "data-policy-id": policy.id }, shortName(policy));
    open.addEventListener("click", () => this.select(policy.id));
    return h(
      "li",
      { className: "in-force-item", "data-policy-id": policy.id },
      h("div", { className: "item-head" }, open, h("span", { className: "kind" }, policy.kind), h("span", { className: "since" }, `since ${formatInstant(policy.effectiveFrom).slice(0, 10)}`)),
      h("div", { className: "item-title" }, policy.title),
      provisions.length > 0 &&
        h(
          "ul",
          { className: "provisions" },
          ...provisions.slice(0, provisionsShown).map(([key, value]) => h("li", {}, h("code", {}, key), ": ", formatValue(value))),
          provisions.length > provisionsShown && h("li", { className: "muted" }, `and ${provisions.length - provisionsShown} more (open the instrument)`),
        ),
    );
  }
}
