// The instrument panel: its state on the cursor day, citations and source, relations to other instruments, its
// versions over effective time and its events on both clocks (effective and recorded).
import { history, policy, timeline, type HistoryEvent, type Policy, type PolicyTimeline } from "./api.js";
import { clear, formatValue, h } from "./dom.js";
import type { Store } from "./state.js";
import { formatInstant } from "./time.js";
import { shortName, statusLabel } from "./timeline.js";

/** Relations other instruments state about this one (read from the loaded timelines). */
export interface Inverse {
  rescinds: string[];
  supersedes: string[];
  amends: string[];
}

export class Panel {
  private request = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly store: Store,
    private readonly inverse: (id: string) => Inverse,
  ) {
    store.subscribe((state, previous) => {
      if (state.selected !== previous.selected || (state.selected && (state.at !== previous.at || state.asOf !== previous.asOf))) {
        void this.load(state.selected !== previous.selected);
      }
    });
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        store.set({ selected: null });
      }
    });
  }

  /** Reload the open instrument (a live change touched it). */
  refresh(id: string): void {
    if (this.store.state.selected === id) {
      void this.load(false);
    }
  }

  private async load(focus: boolean): Promise<void> {
    const { selected, at, asOf } = this.store.state;
    const request = ++this.request;
    if (!selected) {
      this.root.hidden = true;
      clear(this.root);
      return;
    }
    this.root.hidden = false;
    this.root.setAttribute("aria-busy", "true");
    try {
      const [state, events, versions] = await Promise.all([
        policy(selected, at, asOf),
        history(selected, asOf),
        timeline(selected, asOf),
      ]);
      if (request !== this.request) {
        return;
      }
      this.render(state, events.events, versions);
      if (focus) {
        this.root.querySelector<HTMLElement>("h2")?.focus();
      }
    } catch (error) {
      if (request === this.request) {
        clear(this.root, this.closeButton(), h("p", { className: "error", role: "alert" }, `${selected}: ${(error as Error).message}`));
      }
    } finally {
      if (request === this.request) {
        this.root.removeAttribute("aria-busy");
      }
    }
  }

  private render(state: Policy, events: HistoryEvent[], versions: PolicyTimeline): void {
    const { at } = this.store.state;
    this.root.dataset.policyId = state.id;
    clear(
      this.root,
      this.closeButton(),
      h("h2", { tabindex: -1, id: "panel-title" }, shortName(state)),
      h("p", { className: "panel-title" }, state.title),
      h(
        "p",
        {},
        h("span", { className: `badge status-${state.status}`, "data-status": state.status }, statusLabel(state.status)),
        ` on ${at} · ${state.kind} · ${state.jurisdiction} · ${state.topics.join(", ")}`,
      ),
      state.suspensionReason && h("p", {}, `Suspended: ${state.suspensionReason}`),
      this.facts(state),
      this.relations(state, events),
      this.provisions(state),
      this.versions(versions),
      this.history(events),
    );
  }

  private closeButton(): HTMLElement {
    const close = h("button", { type: "button", className: "close", "aria-label": "Close the instrument panel" }, "×");
    close.addEventListener("click", () => this.store.set({ selected: null }));
    return close;
  }

  private facts(state: Policy): HTMLElement {
    const rows: [string, Node | string | null][] = [
      ["Citation", state.citation],
      ["Source", state.sourceUrl ? h("a", { href: state.sourceUrl, target: "_blank", rel: "noopener noreferrer" }, state.sourceUrl) : null],
      ["Authority", state.authority],
      ["Signed", state.signedOn],
      ["Published", state.publishedOn],
      ["Effective", formatInstant(state.effectiveAt)],
      ["Expires", state.expiresAt ? formatInstant(state.expiresAt) : null],
    ];
    return h("dl", { className: "facts" }, ...rows.filter(([, value]) => value).flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, value)]));
  }

  private relations(state: Policy, events: HistoryEvent[]): HTMLElement | null {
    const inverse = this.inverse(state.id);
    const issued = events.find((e) => e.type === "issued")?.data ?? {};
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
    const amendedBy = events.filter((e) => e.type === "amended" && typeof e.data.byPolicyId === "string").map((e) => e.data.byPolicyId as string);
    const relations: [string, string[]][] = [
      ["Rescinded by", state.rescindedBy ? [state.rescindedBy] : []],
      ["Superseded by", state.supersededBy ? [state.supersededBy] : []],
      ["Amended by", [...new Set([...(state.amendedBy ?? []), ...amendedBy])]],
      ["Amends", inverse.amends],
      ["Rescinds", [...new Set([...list(issued.rescinds), ...inverse.rescinds])]],
      ["Supersedes", [...new Set([...list(issued.supersedes), ...inverse.supersedes])]],
    ];
    const shown = relations.filter(([, ids]) => ids.length > 0);
    if (shown.length === 0) {
      return null;
    }
    return h(
      "section",
      { className: "relations", "aria-labelledby": "relations-title" },
      h("h3", { id: "relations-title" }, "Relations"),
      h(
        "dl",
        { className: "facts" },
        ...shown.flatMap(([name, ids]) => [
          h("dt", {}, name),
          h("dd", { "data-relation": name.toLowerCase().replace(" ", "-") }, ...ids.flatMap((id, i) => [i > 0 ? ", " : null, this.link(id)])),
        ]),
      ),
    );
  }

  private link(id: string): HTMLElement {
    const button = h("button", { type: "button", className: "link", "data-policy-id": id }, id);
    button.addEventListener("click", () => this.store.set({ selected: id }));
    return button;
  }

  private provisions(state: Policy): HTMLElement | null {
    const entries = Object.entries(state.provisions ?? {});
    if (entries.length === 0) {
      return null;
    }
    return h(
      "section",
      {},
      h("h3", {}, "Provisions on the cursor day"),
      h("dl", { className: "provision-list" }, ...entries.flatMap(([key, value]) => [h("dt", {}, h("code", {}, key)), h("dd", {}, formatValue(value))])),
    );
  }

  private versions(versions: PolicyTimeline): HTMLElement {
    return h(
      "section",
      {},
      h("h3", {}, "Versions (effective time)"),
      h(
        "table",
        { className: "versions" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "From"), h("th", { scope: "col" }, "To"), h("th", { scope: "col" }, "Status"))),
        h(
          "tbody",
          {},
          ...versions.versions.map((v) =>
            h(
              "tr",
              {},
              h("td", {}, v.validFrom ? formatInstant(v.validFrom) : "(since ever)"),
              h("td", {}, v.validTo ? formatInstant(v.validTo) : "(open)"),
              h("td", {}, h("span", { className: `badge status-${v.status}` }, statusLabel(v.status))),
            ),
          ),
        ),
      ),
    );
  }

  private history(events: HistoryEvent[]): HTMLElement {
    return h(
      "section",
      {},
      h("h3", {}, "History (both clocks)"),
      h(
        "table",
        { className: "history" },
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col" }, "Event"), h("th", { scope: "col" }, "Effective"), h("th", { scope: "col" }, "Recorded"), h("th", { scope: "col" }, "By")),
        ),
        h(
          "tbody",
          {},
          ...events.map((e) =>
            h(
              "tr",
              { "data-event-type": e.type },
              h("td", {}, e.type),
              h("td", {}, formatInstant(e.effectiveAt)),
              h("td", {}, formatInstant(e.recordedAt)),
              h("td", {}, e.recordedBy ?? "—"),
            ),
          ),
        ),
      ),
    );
  }
}
