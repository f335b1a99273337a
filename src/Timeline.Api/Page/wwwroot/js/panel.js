// The instrument panel: its state on the cursor day, citations and source, relations to other instruments, its
// versions over effective time and its events on both clocks (effective and recorded).
import { history, policy, timeline } from "./api.js";
import { clear, formatValue, h } from "./dom.js";
import { formatInstant } from "./time.js";
import { shortName, statusLabel } from "./timeline.js";
export class Panel {
    root;
    store;
    inverse;
    request = 0;
    constructor(root, store, inverse) {
        this.root = root;
        this.store = store;
        this.inverse = inverse;
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
    refresh(id) {
        if (this.store.state.selected === id) {
            void this.load(false);
        }
    }
    async load(focus) {
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
                this.root.querySelector("h2")?.focus();
            }
        }
        catch (error) {
            if (request === this.request) {
                clear(this.root, this.closeButton(), h("p", { className: "error", role: "alert" }, `${selected}: ${error.message}`));
            }
        }
        finally {
            if (request === this.request) {
                this.root.removeAttribute("aria-busy");
            }
        }
    }
    render(state, events, versions) {
        const { at } = this.store.state;
        this.root.dataset.policyId = state.id;
        clear(this.root, this.closeButton(), h("h2", { tabindex: -1, id: "panel-title" }, shortName(state)), h("p", { className: "panel-title" }, state.title), h("p", {}, h("span", { className: `badge status-${state.status}`, "data-status": state.status }, statusLabel(state.status)), ` on ${at} · ${state.kind} · ${state.jurisdiction} · ${state.topics.join(", ")}`), state.suspensionReason && h("p", {}, `Suspended: ${state.suspensionReason}`), this.facts(state), this.relations(state, events), this.provisions(state), this.versions(versions), this.history(events));
    }
    closeButton() {
        const close = h("button", { type: "button", className: "close", "aria-label": "Close the instrument panel" }, "×");
        close.addEventListener("click", () => this.store.set({ selected: null }));
        return close;
    }
    facts(state) {
        const rows = [
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
    relations(state, events) {
        const inverse = this.inverse(state.id);
        const issued = events.find((e) => e.type === "issued")?.data ?? {};
        const list = (value) => (Array.isArray(value) ? value.map(String) : []);
        const amendedBy = events.filter((e) => e.type === "amended" && typeof e.data.byPolicyId === "string").map((e) => e.data.byPolicyId);
        const relations = [
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
        return h("section", { className: "relations", "aria-labelledby": "relations-title" }, h("h3", { id: "relations-title" }, "Relations"), h("dl", { className: "facts" }, ...shown.flatMap(([name, ids]) => [
            h("dt", {}, name),
            h("dd", { "data-relation": name.toLowerCase().replace(" ", "-") }, ...ids.flatMap((id, i) => [i > 0 ? ", " : null, this.link(id)])),
        ])));
    }
    link(id) {
        const button = h("button", { type: "button", className: "link", "data-policy-id": id }, id);
        button.addEventListener("click", () => this.store.set({ selected: id }));
        return button;
    }
    provisions(state) {
        const entries = Object.entries(state.provisions ?? {});
        if (entries.length === 0) {
            return null;
        }
        return h("section", {}, h("h3", {}, "Provisions on the cursor day"), h("dl", { className: "provision-list" }, ...entries.flatMap(([key, value]) => [h("dt", {}, h("code", {}, key)), h("dd", {}, formatValue(value))])));
    }
    versions(versions) {
        return h("section", {}, h("h3", {}, "Versions (effective time)"), h("table", { className: "versions" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "From"), h("th", { scope: "col" }, "To"), h("th", { scope: "col" }, "Status"))), h("tbody", {}, ...versions.versions.map((v) => h("tr", {}, h("td", {}, v.validFrom ? formatInstant(v.validFrom) : "(since ever)"), h("td", {}, v.validTo ? formatInstant(v.validTo) : "(open)"), h("td", {}, h("span", { className: `badge status-${v.status}` }, statusLabel(v.status))))))));
    }
    history(events) {
        return h("section", {}, h("h3", {}, "History (both clocks)"), h("table", { className: "history" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Event"), h("th", { scope: "col" }, "Effective"), h("th", { scope: "col" }, "Recorded"), h("th", { scope: "col" }, "By"))), h("tbody", {}, ...events.map((e) => h("tr", { "data-event-type": e.type }, h("td", {}, e.type), h("td", {}, formatInstant(e.effectiveAt)), h("td", {}, formatInstant(e.recordedAt)), h("td", {}, e.recordedBy ?? "—"))))));
    }
}
