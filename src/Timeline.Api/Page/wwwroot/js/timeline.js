import { clear, h } from "./dom.js";
import { Scale } from "./scale.js";
import { endOfDay, formatInstant } from "./time.js";
const statusLabels = {
    pending: "pending",
    "in-force": "in force",
    suspended: "suspended",
    rescinded: "rescinded",
    superseded: "superseded",
    expired: "expired",
};
export function statusLabel(status) {
    return status ? (statusLabels[status] ?? status) : "unknown";
}
/** The short name people use: the first part of the citation ("EO 14110"), else the id. */
export function shortName(policy) {
    const first = policy.citation?.split(";")[0]?.trim();
    return first && first.length <= 40 ? first : policy.id;
}
function setFraction(element, name, fraction) {
    element.style.setProperty(name, fraction.toFixed(5));
}
export class TimelineView {
    root;
    store;
    select;
    scale = new Scale(Date.UTC(2022, 0, 1), Date.UTC(2026, 0, 1));
    rows = [];
    frame = 0;
    axis;
    groups;
    cursor;
    overlay;
    constructor(root, store, select) {
        this.root = root;
        this.store = store;
        this.select = select;
        this.axis = h("div", { className: "axis", "aria-hidden": "true" });
        this.groups = h("div", { className: "groups" });
        this.cursor = h("div", {
            className: "cursor",
            id: "cursor",
            role: "slider",
            tabindex: 0,
            "aria-label": "Date cursor (arrow keys: a day, Page Up/Down: a month, with Shift: a year)",
        });
        this.overlay = h("div", { className: "overlay" }, this.cursor);
        // The overlay (with the cursor) before the rows, so Tab reaches the cursor before the instruments.
        clear(root, h("div", { className: "timeline-body" }, this.axis, this.overlay, this.groups));
        this.listen();
        store.subscribe(() => this.schedule());
    }
    get cursorHandle() {
        return this.cursor;
    }
    setRows(rows) {
        this.rows = rows;
        this.renderRows();
    }
    /** Zoom to show every bar that has a start. */
    fitAll() {
        const starts = this.rows.flatMap((row) => row.versions.map((v) => v.validFrom).filter((v) => v !== null));
        const ends = this.rows.flatMap((row) => row.versions.map((v) => v.validTo).filter((v) => v !== null));
        if (starts.length === 0) {
            return;
        }
        const times = [...starts, ...ends].map((t) => Date.parse(t));
        times.push(endOfDay(this.store.state.at));
        this.scale.fit(Math.min(...times), Math.max(...times));
        this.schedule();
    }
    zoom(factor, anchor = 0.5) {
        this.scale.zoom(factor, anchor);
        this.schedule();
    }
    pan(fraction) {
        this.scale.pan(fraction);
        this.schedule();
    }
    /** Redraw positions on the next frame (zooming fires many events). */
    schedule() {
        if (this.frame === 0) {
            this.frame = requestAnimationFrame(() => {
                this.frame = 0;
                this.position();
            });
        }
    }
    /** Rebuild the rows (data changed). */
    renderRows() {
        const byTopic = new Map();
        for (const row of this.rows) {
            const topic = row.policy.topics[0] ?? "other";
            byTopic.set(topic, [...(byTopic.get(topic) ?? []), row]);
        }
        const topics = [...byTopic.keys()].sort();
        const selected = this.store.state.selected;
        clear(this.groups, ...topics.map((topic) => h("section", { className: "group", "data-topic": topic, "aria-label": `Topic ${topic}` }, h("h3", { className: "group-title" }, topic), ...byTopic
            .get(topic)
            .sort((a, b) => Date.parse(a.policy.effectiveAt) - Date.parse(b.policy.effectiveAt))
            .map((row) => this.renderRow(row, row.policy.id === selected)))));
        this.position();
    }
    renderRow(row, selected) {
        const { policy } = row;
        const label = h("button", {
            type: "button",
            className: "row-label",
            title: `${policy.id}: ${policy.title}`,
            "data-policy-id": policy.id,
            "aria-pressed": selected ? "true" : "false",
        }, h("span", { className: "row-name" }, shortName(policy)), " ", h("span", { className: "row-title" }, policy.title));
        label.addEventListener("click", () => this.select(policy.id));
        const track = h("div", { className: "track", "aria-hidden": "true" });
        for (const version of row.versions) {
            const from = version.validFrom ?? this.firstKnown(policy);
            if (from === null) {
                continue; // pending since an unknown day: nothing to draw
            }
            const to = version.validTo;
            const open = to === null;
            const bar = h("div", {
                className: `bar status-${version.status}${open ? " open" : ""}`,
                "data-status": version.status,
                "data-from": from,
                "data-to": to ?? "",
                title: `${shortName(policy)}: ${statusLabel(version.status)} from ${formatInstant(from)}${to ? ` to ${formatInstant(to)}` : ""}`,
            });
            bar.addEventListener("click", () => this.select(policy.id));
            track.appendChild(bar);
        }
        return h("div", { className: `row${selected ? " selected" : ""}`, "data-policy-id": policy.id }, label, track);
    }
    /** Where a pending instrument's bar starts: the first day it was publicly known. */
    firstKnown(policy) {
        const day = policy.publicKnowledgeOn ?? policy.signedOn ?? policy.publishedOn;
        return day ? `${day}T00:00:00Z` : null;
    }
    position() {
        const scale = this.scale;
        const width = this.overlay.clientWidth || 800;
        clear(this.axis, ...scale.ticks(Math.max(2, Math.floor(width / 90))).map((tick) => {
            const element = h("div", { className: "tick" }, h("span", {}, tick.label));
            setFraction(element, "--x", scale.fraction(tick.ms));
            return element;
        }));
        for (const bar of this.groups.querySelectorAll(".bar")) {
            const from = scale.fraction(Date.parse(bar.dataset.from));
            const to = bar.dataset.to ? scale.fraction(Date.parse(bar.dataset.to)) : 1.02;
            const visible = to > 0 && from < 1;
            bar.classList.toggle("hidden", !visible);
            if (visible) {
                setFraction(bar, "--from", Math.max(-0.01, from));
                setFraction(bar, "--to", Math.min(1.02, to));
            }
        }
        const at = this.store.state.at;
        const cursorFraction = scale.fraction(endOfDay(at));
        setFraction(this.cursor, "--x", cursorFraction);
        this.cursor.classList.toggle("hidden", cursorFraction < 0 || cursorFraction > 1);
        this.cursor.setAttribute("aria-valuetext", at);
        this.cursor.setAttribute("aria-valuenow", String(endOfDay(at)));
        for (const row of this.groups.querySelectorAll(".row")) {
            const isSelected = row.dataset.policyId === this.store.state.selected;
            row.classList.toggle("selected", isSelected);
            row.querySelector(".row-label")?.setAttribute("aria-pressed", isSelected ? "true" : "false");
        }
    }
    listen() {
        this.root.addEventListener("wheel", (event) => {
            event.preventDefault();
            const rect = this.overlay.getBoundingClientRect();
            const anchor = Math.min(1, Math.max(0, (event.clientX - rect.left) / rect.width));
            if (event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)) {
                this.pan((event.deltaX || event.deltaY) / rect.width);
            }
            else {
                this.zoom(Math.exp(event.deltaY * 0.0015), anchor);
            }
        }, { passive: false });
        this.root.addEventListener("keydown", (event) => {
            if (event.target === this.cursor || event.altKey || event.ctrlKey || event.metaKey) {
                return; // the cursor has keys of its own
            }
            const actions = {
                "+": () => this.zoom(0.5),
                "=": () => this.zoom(0.5),
                "-": () => this.zoom(2),
                ArrowLeft: () => this.pan(-0.1),
                ArrowRight: () => this.pan(0.1),
                "0": () => this.fitAll(),
            };
            const action = actions[event.key];
            if (action) {
                event.preventDefault();
                action();
            }
        });
        window.addEventListener("resize", () => this.schedule());
    }
}
