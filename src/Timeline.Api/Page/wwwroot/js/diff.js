// The diff view: what came into force, left force or changed provisions between two days (GET /api/diff).
import { diff } from "./api.js";
import { clear, formatValue, h } from "./dom.js";
import { addMonths, isDate } from "./time.js";
import { statusLabel } from "./timeline.js";
export function wireDiff(form, output, store) {
    const from = form.elements.namedItem("from");
    const to = form.elements.namedItem("to");
    to.value = store.state.at;
    from.value = addMonths(store.state.at, -12);
    const select = (id) => store.set({ selected: id });
    form.addEventListener("submit", (event) => {
        event.preventDefault();
        if (!isDate(from.value) || !isDate(to.value)) {
            clear(output, h("p", { className: "error", role: "alert" }, "Give both days as dates."));
            return;
        }
        void compare(from.value, to.value);
    });
    async function compare(start, end) {
        output.setAttribute("aria-busy", "true");
        try {
            const answer = await diff(start, end, store.state.asOf);
            const groups = [
                ["came-into-force", "Came into force", answer.cameIntoForce],
                ["left-force", "Left force", answer.leftForce],
                ["changed-provisions", "Changed provisions", answer.changedProvisions],
                ["other-status-changes", "Other status changes", answer.otherStatusChanges],
            ];
            const total = groups.reduce((sum, [, , items]) => sum + items.length, 0);
            clear(output, h("p", { className: "muted" }, `From ${start} to ${end}: ${total === 0 ? "nothing changed" : `${total} differences`}${answer.truncated ? " (first 1000)" : ""}.`), ...groups
                .filter(([, , items]) => items.length > 0)
                .map(([key, title, items]) => h("section", { className: "diff-group", "data-group": key }, h("h3", {}, `${title} (${items.length})`), h("ul", {}, ...items.map((item) => difference(item, key === "changed-provisions", select))))));
        }
        catch (error) {
            clear(output, h("p", { className: "error", role: "alert" }, `Could not compare: ${error.message}`));
        }
        finally {
            output.removeAttribute("aria-busy");
        }
    }
}
function difference(item, withProvisions, select) {
    const open = h("button", { type: "button", className: "link", "data-policy-id": item.id }, item.id);
    open.addEventListener("click", () => select(item.id));
    return h("li", { "data-policy-id": item.id }, open, ` ${statusLabel(item.statusBefore)} → ${statusLabel(item.statusAfter)}`, h("div", { className: "item-title" }, item.title), withProvisions &&
        h("ul", { className: "provisions" }, ...item.provisions.map((p) => h("li", {}, h("code", {}, p.key), ": ", h("del", {}, formatValue(p.before)), " → ", h("ins", {}, formatValue(p.after))))));
}
