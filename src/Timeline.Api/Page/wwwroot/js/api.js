// The HTTP API the page reads (see HTTP-API.md): typed fetches, nothing else.
export const statuses = ["pending", "in-force", "suspended", "rescinded", "superseded", "expired"];
/** A failed request, with the problem+json detail when the service sent one. */
export class ApiError extends Error {
    status;
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}
function query(parameters) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(parameters)) {
        if (value) {
            search.set(name, value);
        }
    }
    const text = search.toString();
    return text ? `?${text}` : "";
}
async function get(path, signal) {
    const response = await fetch(path, { headers: { Accept: "application/json" }, signal: signal ?? null });
    if (!response.ok) {
        let detail = response.statusText;
        try {
            const problem = (await response.json());
            detail = problem.detail ?? problem.title ?? detail;
        }
        catch {
            // not problem+json: keep the status text
        }
        throw new ApiError(response.status, detail);
    }
    return (await response.json());
}
/** Every instrument known at `at` as of `asOf`, whatever its status there, following the pages. */
export async function listAll(at, asOf, status = "any") {
    let cursor = null;
    let first = null;
    const items = [];
    do {
        const page = await get(`/api/policies${query({ at, asOf, status, limit: "1000", cursor })}`);
        first ??= page;
        items.push(...page.items);
        cursor = page.nextCursor;
    } while (cursor);
    return { ...first, items, nextCursor: null };
}
export function inForce(at, asOf) {
    return listAll(at, asOf, "in-force");
}
export function policy(id, at, asOf) {
    return get(`/api/policies/${encodeURIComponent(id)}${query({ at, asOf })}`);
}
export function timeline(id, asOf) {
    return get(`/api/policies/${encodeURIComponent(id)}/timeline${query({ asOf })}`);
}
export function history(id, asOf) {
    return get(`/api/policies/${encodeURIComponent(id)}/history${query({ asOf })}`);
}
export function diff(from, to, asOf) {
    return get(`/api/diff${query({ from, to, asOf })}`);
}
export const changeStreamPath = "/api/changes/stream";
