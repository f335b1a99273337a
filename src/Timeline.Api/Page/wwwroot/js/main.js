// The page's wiring: the store, the timeline, the cursor, the in-force list, the panel, the diff and the live
// stream. The state is mirrored in the address (#at=...&asOf=...&id=...) so a view can be shared or bookmarked.
import { listAll, statuses, timeline } from "./api.js";
import { wireCursor } from "./cursor.js";
import { wireDiff } from "./diff.js";
import { byId, clear, h } from "./dom.js";
import { InForceList } from "./inforce.js";
import { connectLive } from "./live.js";
import { Panel } from "./panel.js";
import { Store } from "./state.js";
import { formatInstant, isDate, localInputToInstant, today } from "./time.js";
import { statusLabel, TimelineView } from "./timeline.js";
function stateFromAddress() {
    const parameters = new URLSearchParams(location.hash.slice(1));
    const at = parameters.get("at");
    const asOf = parameters.get("asOf");
    return {
        at: at && isDate(at) ? at : today(),
        asOf: asOf && !Number.isNaN(Date.parse(asOf)) ? new Date(asOf).toISOString() : null,
        selected: parameters.get("id"),
    };
}
function writeAddress(state) {
    const parameters = new URLSearchParams({ at: state.at });
    if (state.asOf) {
        parameters.set("asOf", state.asOf);
    }
    if (state.selected) {
        parameters.set("id", state.selected);
    }
    history.replaceState(null, "", `#${parameters.toString()}`);
}
/** The value of a datetime-local input for an instant, in the browser's time zone, to the second. */
function toLocalInput(iso) {
    const d = new Date(iso);
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
async function loadRows(asOf) {
    const list = await listAll(null, asOf);
    const rows = [];
    const queue = [...list.items];
    // A few requests at a time: enough to be quick, few enough not to crowd the service.
    const worker = async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
            const policy = item;
            const versions = await timeline(policy.id, asOf);
            rows.push({ policy, versions: versions.versions });
        }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    return rows;
}
function renderLegend(legend) {
    clear(legend, ...statuses.map((status) => h("li", {}, h("span", { className: `swatch status-${status}`, "aria-hidden": "true" }), statusLabel(status))), h("li", {}, h("span", { className: "swatch open status-rescinded", "aria-hidden": "true" }), "striped: open-ended"));
}
function start() {
    const store = new Store(stateFromAddress());
    const select = (id) => store.set({ selected: id });
    let rows = [];
    const view = new TimelineView(byId("timeline"), store, select);
    wireCursor(view, store, byId("at"));
    const inForce = new InForceList(byId("in-force-title"), byId("in-force"), store, select);
    const inverse = (id) => ({
        rescinds: rows.filter((r) => r.versions.some((v) => v.rescindedBy === id)).map((r) => r.policy.id),
        supersedes: rows.filter((r) => r.versions.some((v) => v.supersededBy === id)).map((r) => r.policy.id),
        amends: rows.filter((r) => r.versions.some((v) => (v.amendedBy ?? []).includes(id))).map((r) => r.policy.id),
    });
    const panel = new Panel(byId("panel"), store, inverse);
    wireDiff(byId("diff-form"), byId("diff-output"), store);
    renderLegend(byId("legend"));
    byId("zoom-in").addEventListener("click", () => view.zoom(0.5));
    byId("zoom-out").addEventListener("click", () => view.zoom(2));
    byId("zoom-fit").addEventListener("click", () => view.fitAll());
    const asOfInput = byId("as-of");
    const asOfNote = byId("as-of-note");
    const showAsOf = (asOf) => {
        asOfInput.value = asOf ? toLocalInput(asOf) : "";
        document.body.classList.toggle("past-record", asOf !== null);
        clear(asOfNote, asOf ? `Showing the record as it stood on ${formatInstant(asOf)}` : "Showing the record as it stands now");
    };
    showAsOf(store.state.asOf);
    asOfInput.addEventListener("change", () => store.set({ asOf: localInputToInstant(asOfInput.value) }));
    byId("as-of-now").addEventListener("click", () => store.set({ asOf: null }));
    let loading = 0;
    const status = byId("load-status");
    const reload = async (fit) => {
        const request = ++loading;
        status.textContent = "Loading…";
        try {
            const loaded = await loadRows(store.state.asOf);
            if (request !== loading) {
                return;
            }
            rows = loaded;
            view.setRows(rows);
            if (fit) {
                view.fitAll();
            }
            byId("timeline").dataset.loaded = String(rows.length);
            status.textContent = `${rows.length} instruments`;
        }
        catch (error) {
            status.textContent = `Could not load the instruments: ${error.message}`;
        }
    };
    store.subscribe((state, previous) => {
        writeAddress(state);
        if (state.asOf !== previous.asOf) {
            showAsOf(state.asOf);
            void reload(false);
        }
    });
    let pending = 0;
    const touched = new Set();
    connectLive(byId("live-feed"), byId("live-status"), (change) => {
        // Changes come in bursts (an import, a rescission writing to two instruments): reload once per burst.
        touched.add(change.policyId);
        window.clearTimeout(pending);
        pending = window.setTimeout(() => {
            void reload(false);
            inForce.schedule();
            for (const id of touched) {
                panel.refresh(id);
            }
            touched.clear();
        }, 200);
    });
    void reload(true);
    void inForce.load();
    // An instrument named in the address opens once everything listens.
    const opened = store.state.selected;
    if (opened) {
        store.set({ selected: null });
        select(opened);
    }
}
start();
