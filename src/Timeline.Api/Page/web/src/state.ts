// What the page shows, in one place: the cursor day, the record time ("as recorded on"), the instrument open in
// the panel. Modules subscribe and redraw; nothing else holds this state.

export interface ViewState {
  /** The cursor: a day, "YYYY-MM-DD". */
  at: string;
  /** The record time as an RFC 3339 instant, or null for "now" (the record as it stands). */
  asOf: string | null;
  /** The instrument open in the panel. */
  selected: string | null;
}

type Listener = (state: ViewState, previous: ViewState) => void;

export class Store {
  private listeners: Listener[] = [];

  constructor(private current: ViewState) {}

  get state(): ViewState {
    return this.current;
  }

  set(change: Partial<ViewState>): void {
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

  subscribe(listener: Listener): void {
    this.listeners.push(listener);
  }
}
