// Scripted failures for client robustness tests: each injected fault answers the next matching
// REST requests (after `afterRequests` matching ones pass) instead of the portal.

export type FaultKind = '503' | '429' | '500' | 'drop' | 'html' | 'garbage' | 'drop-after' | 'cut-after' | 'error' | 'huge';

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests it answers. */
  times: number;
  /** REST methods it applies to (a batch matches by its own name or any sub-call's); default all. */
  methods?: string[];
  /** Matching requests to let through first. */
  afterRequests?: number;
  /** Kind 'error': the `error` code answered (default `UNKNOWN_FAULT`). */
  error?: string;
  /** Kind 'error': the HTTP status (default 400). */
  status?: number;
}

/** The fault that answers one request. */
export interface TakenFault {
  kind: FaultKind;
  error?: string;
  status?: number;
}

interface ActiveFault {
  kind: FaultKind;
  left: number;
  skip: number;
  methods?: Set<string>;
  error?: string;
  status?: number;
}

export class FaultControls {
  private faults: ActiveFault[] = [];

  inject(spec: FaultSpec): void {
    if (spec.times <= 0) return;
    this.faults.push({
      kind: spec.kind,
      left: spec.times,
      skip: Math.max(0, spec.afterRequests ?? 0),
      methods: spec.methods ? new Set(spec.methods.map((m) => m.toLowerCase())) : undefined,
      ...(spec.error !== undefined ? { error: spec.error } : {}),
      ...(spec.status !== undefined ? { status: spec.status } : {}),
    });
  }

  clear(): void {
    this.faults = [];
  }

  /** Faults still waiting to fire. */
  pending(): FaultSpec[] {
    return this.faults.map((f) => ({
      kind: f.kind,
      times: f.left,
      afterRequests: f.skip,
      methods: f.methods ? [...f.methods] : undefined,
      ...(f.error !== undefined ? { error: f.error } : {}),
      ...(f.status !== undefined ? { status: f.status } : {}),
    }));
  }

  /** The fault that answers a request touching `methods`, counting every matching fault down. */
  take(methods: string[]): TakenFault | undefined {
    let chosen: TakenFault | undefined;
    for (const f of this.faults) {
      if (f.methods && !methods.some((m) => f.methods!.has(m.toLowerCase()))) continue;
      if (f.skip > 0) {
        f.skip--;
        continue;
      }
      if (chosen === undefined) {
        chosen = { kind: f.kind, ...(f.error !== undefined ? { error: f.error } : {}), ...(f.status !== undefined ? { status: f.status } : {}) };
        f.left--;
      }
    }
    this.faults = this.faults.filter((f) => f.left > 0);
    return chosen;
  }
}
