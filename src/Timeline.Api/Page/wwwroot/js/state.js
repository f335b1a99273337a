// What the page shows, in one place: the cursor day, the record time ("as recorded on"), the instrument open in
// the panel. Modules subscribe and redraw; nothing else holds this state.
export class Store {
    current;
    listeners = [];
    constructor(current) {
        this.current = current;
    }
    get state() {
        return this.current;
    }
    set(change) {
        const previous = this.current;
        const next = { ...previous, ...change };
        if (next.at === previous.at && next.asOf === previous.asOf && next.selected === previous.selected) {
            return;
        }
        this.current = next;
        for (const listener of this.listeners) {
            listener(next, previous);
        }
    }
    subscribe(listener) {
        this.listeners.push(listener);
    }
}
