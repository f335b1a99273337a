// The HTTP API the page reads (see HTTP-API.md): typed fetches, nothing else.

export type Status = "pending" | "in-force" | "suspended" | "rescinded" | "superseded" | "expired";

export const statuses: readonly Status[] = ["pending", "in-force", "suspended", "rescinded", "superseded", "expired"];

export type Provisions = Record<string, unknown>;

export interface Policy {
  id: string;
  kind: string;
  title: string;
  jurisdiction: string;
  status: Status;
  topics: string[];
  provisions: Provisions;
  version: number;
  effectiveFrom: string | null;
  effectiveTo: string | null;
  effectiveAt: string;
  expiresAt: string | null;
  rescindedBy: string | null;
  supersededBy: string | null;
  amendedBy: string[];
  suspensionReason: string | null;
  authority: string | null;
  citation: string | null;
  sourceUrl: string | null;
  signedOn: string | null;
  publishedOn: string | null;
  publicKnowledgeOn: string | null;
}

export interface PolicyList {
  at: string;
  asOf: string;
  items: Policy[];
  nextCursor: string | null;
}

export interface TimelineVersion {
  validFrom: string | null;
  validTo: string | null;
  status: Status;
  title: string;
  provisions: Provisions;
  rescindedBy: string | null;
  supersededBy: string | null;
  suspensionReason: string | null;
  amendedBy: string[];
}

export interface PolicyTimeline {
  id: string;
  asOf: string;
  versions: TimelineVersion[];
}

export interface HistoryEvent {
  eventId: string;
  sequence: number;
  version: number;
  type: string;
  effectiveAt: string | null;
  recordedAt: string;
  data: Record<string, unknown>;
  recordedBy: string | null;
}

export interface PolicyHistory {
  id: string;
  asOf: string;
  events: HistoryEvent[];
}

export interface ProvisionDifference {
  key: string;
  before: unknown;
  after: unknown;
}

export interface InstrumentDifference {
  id: string;
  title: string;
  statusBefore: Status | null;
  statusAfter: Status | null;
  provisions: ProvisionDifference[];
}

export interface Diff {
  from: { at: string; asOf: string };
  to: { at: string; asOf: string };
  cameIntoForce: InstrumentDifference[];
  leftForce: InstrumentDifference[];
  changedProvisions: InstrumentDifference[];
  otherStatusChanges: InstrumentDifference[];
  truncated: boolean;
}

/** One change of the live stream (a PolicyChanged message). */
export interface Change {
  eventId: string;
  policyId: string;
  changeType: string;
  effectiveAt: string | null;
  recordedAt: string;
  globalSequence: number;
  topics: string[];
  summary: string;
  title: string;
}

/** A failed request, with the problem+json detail when the service sent one. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function query(parameters: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value) {
      search.set(name, value);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { Accept: "application/json" }, signal: signal ?? null });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      const problem = (await response.json()) as { title?: string; detail?: string };
      detail = problem.detail ?? problem.title ?? detail;
    } catch {
      // not problem+json: keep the status text
    }
    throw new ApiError(response.status, detail);
  }
  return (await response.json()) as T;
}

/** Every instrument known at `at` as of `asOf`, whatever its status there, following the pages. */
export async function listAll(at: string | null, asOf: string | null, status = "any"): Promise<PolicyList> {
  let cursor: string | null = null;
  let first: PolicyList | null = null;
  const items: Policy[] = [];
  do {
    const page: PolicyList = await get<PolicyList>(
      `/api/policies${query({ at, asOf, status, limit: "1000", cursor })}`,
    );
    first ??= page;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return { ...first, items, nextCursor: null };
}

export function inForce(at: string, asOf: string | null): Promise<PolicyList> {
  return listAll(at, asOf, "in-force");
}

export function policy(id: string, at: string | null, asOf: string | null): Promise<Policy> {
  return get<Policy>(`/api/policies/${encodeURIComponent(id)}${query({ at, asOf })}`);
}

export function timeline(id: string, asOf: string | null): Promise<PolicyTimeline> {
  return get<PolicyTimeline>(`/api/policies/${encodeURIComponent(id)}/timeline${query({ asOf })}`);
}

export function history(id: string, asOf: string | null): Promise<PolicyHistory> {
  return get<PolicyHistory>(`/api/policies/${encodeURIComponent(id)}/history${query({ asOf })}`);
}

export function diff(from: string, to: string, asOf: string | null): Promise<Diff> {
  return get<Diff>(`/api/diff${query({ from, to, asOf })}`);
}

export const changeStreamPath = "/api/changes/stream";
