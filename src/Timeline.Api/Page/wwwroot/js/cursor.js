import { addDays, addMonths, dateNearest, isDate } from "./time.js";
export function wireCursor(view, store, input) {
    const handle = view.cursorHandle;
    const overlay = view.overlay;
    const dateAtPointer = (clientX) => {
        const rect = overlay.getBoundingClientRect();
        const fraction = Math.min(1, Math.max(0, (clientX - rect.left) / rect.width));
        return dateNearest(view.scale.at(fraction));
    };
    handle.addEventListener("pointerdown", (event) => {
        event.preventDefault();
        handle.setPointerCapture(event.pointerId);
        handle.classList.add("dragging");
        handle.focus();
    });
    handle.addEventListener("pointermove", (event) => {
        if (handle.hasPointerCapture(event.pointerId)) {
            store.set({ at: dateAtPointer(event.clientX) });
        }
    });
    const release = (event) => {
        if (handle.hasPointerCapture(event.pointerId)) {
            handle.releasePointerCapture(event.pointerId);
        }
        handle.classList.remove("dragging");
    };
    handle.addEventListener("pointerup", release);
    handle.addEventListener("pointercancel", release);
    // A click on the axis (the band above the rows) moves the cursor there.
    overlay.addEventListener("click", (event) => {
        if (event.target === overlay) {
            store.set({ at: dateAtPointer(event.clientX) });
        }
    });
    handle.addEventListener("keydown", (event) => {
        const at = store.state.at;
        const moves = {
            ArrowLeft: () => (event.shiftKey ? addMonths(at, -12) : addDays(at, -1)),
            ArrowRight: () => (event.shiftKey ? addMonths(at, 12) : addDays(at, 1)),
            ArrowDown: () => addDays(at, -1),
            ArrowUp: () => addDays(at, 1),
            PageDown: () => addMonths(at, event.shiftKey ? -12 : -1),
            PageUp: () => addMonths(at, event.shiftKey ? 12 : 1),
        };
        const move = moves[event.key];
        if (move) {
            event.preventDefault();
            store.set({ at: move() });
        }
    });
    input.value = store.state.at;
    input.addEventListener("change", () => {
        if (isDate(input.value)) {
            store.set({ at: input.value });
            view.scale.centre(Date.parse(`${input.value}T12:00:00Z`));
            view.schedule();
        }
    });
    store.subscribe((state) => {
        if (input.value !== state.at) {
            input.value = state.at;
        }
    });
}
