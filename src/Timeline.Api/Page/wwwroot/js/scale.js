// The visible window of effective time, from decades down to days, and the axis ticks that fit it.
import { day } from "./time.js";
const year = 365.2425 * day;
export const minSpan = 7 * day;
export const maxSpan = 60 * year;
export class Scale {
    start;
    end;
    constructor(start, end) {
        this.start = start;
        this.end = end;
    }
    get span() {
        return this.end - this.start;
    }
    /** A position as a fraction of the width (may be outside 0..1). */
    fraction(ms) {
        return (ms - this.start) / this.span;
    }
    at(fraction) {
        return this.start + fraction * this.span;
    }
    /** Zoom by `factor` (< 1 zooms in) keeping the time under `anchor` (a fraction of the width) in place. */
    zoom(factor, anchor = 0.5) {
        const span = Math.min(maxSpan, Math.max(minSpan, this.span * factor));
        const pivot = this.at(anchor);
        this.start = pivot - anchor * span;
        this.end = this.start + span;
    }
    pan(fraction) {
        const shift = fraction * this.span;
        this.start += shift;
        this.end += shift;
    }
    /** Show [start, end] with a margin either side. */
    fit(start, end) {
        const span = Math.min(maxSpan, Math.max(minSpan, end - start));
        const margin = span * 0.04;
        const middle = (start + end) / 2;
        this.start = middle - span / 2 - margin;
        this.end = middle + span / 2 + margin;
    }
    /** Centre the window on `ms` without changing the zoom. */
    centre(ms) {
        const span = this.span;
        this.start = ms - span / 2;
        this.end = ms + span / 2;
    }
    /** Tick positions and labels: at most about `count` of them, on whole years, months or days. */
    ticks(count) {
        const steps = [
            [1, "day"], [2, "day"], [7, "day"], [14, "day"], [1, "month"], [2, "month"], [3, "month"], [6, "month"],
            [1, "year"], [2, "year"], [5, "year"], [10, "year"], [20, "year"],
        ];
        const length = (step, unit) => step * (unit === "year" ? year : unit === "month" ? year / 12 : day);
        const [step, unit] = steps.find(([s, u]) => this.span / length(s, u) <= count) ?? steps[steps.length - 1];
        const first = new Date(this.start);
        let cursor = unit === "year"
            ? Date.UTC(Math.floor(first.getUTCFullYear() / step) * step, 0, 1)
            : unit === "month"
                ? Date.UTC(first.getUTCFullYear(), Math.floor(first.getUTCMonth() / step) * step, 1)
                : Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
        const ticks = [];
        while (cursor <= this.end && ticks.length < 200) {
            if (cursor >= this.start) {
                const d = new Date(cursor);
                const label = unit === "year"
                    ? String(d.getUTCFullYear())
                    : unit === "month"
                        ? d.toLocaleDateString("en", { month: "short", year: "numeric", timeZone: "UTC" })
                        : d.toISOString().slice(0, 10);
                ticks.push({ ms: cursor, label });
            }
            const next = new Date(cursor);
            if (unit === "year") {
                next.setUTCFullYear(next.getUTCFullYear() + step);
            }
            else if (unit === "month") {
                next.setUTCMonth(next.getUTCMonth() + step);
            }
            else {
                next.setUTCDate(next.getUTCDate() + step);
            }
            cursor = next.getTime();
        }
        return ticks;
    }
}
