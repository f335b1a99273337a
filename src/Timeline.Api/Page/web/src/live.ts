// Live updates: the change stream (server-sent events) feeds a list of recent changes and tells the page to
// reload what a change touched, with no page reload. EventSource reconnects by itself with Last-Event-ID.
import { changeStreamPath, type Change } from "./api.js";
import { clear, h } from "./dom.js";
import { formatInstant } from "./time.js";

const kept = 30;

export function connectLive(feed: HTMLElement, status: HTMLElement, onChange: (change: Change) => void): EventSource {
  const source = new EventSource(changeStreamPath);
  const show = (state: "connecting" | "live" | "reconnecting", text: string) => {
    status.dataset.state = state;
    clear(status, text);
  };
  show("connecting", "Connecting…");
  source.addEventListener("open", () => show("live", "Live"));
  source.addEventListener("error", () => show("reconnecting", "Reconnecting…"));
  source.addEventListener("policy-changed", (event) => {
    const change = JSON.parse((event as MessageEvent<string>).data) as Change;
    feed.querySelector(".empty")?.remove();
    feed.prepend(
      h(
        "li",
        { "data-policy-id": change.policyId, "data-sequence": change.globalSequence },
        h("strong", {}, change.policyId),
        ` ${change.changeType}`,
        h("div", { className: "item-title" }, change.summary || change.title),
        h("div", { className: "muted" }, `effective ${formatInstant(change.effectiveAt)} · recorded ${formatInstant(change.recordedAt)}`),
      ),
    );
    while (feed.children.length > kept) {
      feed.lastElementChild?.remove();
    }
    onChange(change);
  });
  return source;
}
