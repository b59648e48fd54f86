// Bookkeeping of a job's sub-call results: per-chat outcomes, retries, read-all settlement.
import type { Counters } from '../rest/types.ts';
import type { BatchOutcome } from '../rest/api.ts';
import { BATCH_LIMIT, clearMarkKey, COUNTERS_KEY, parseKey, READ_ALL_KEY, readKey } from './commands.ts';
import { isStillUnread } from './counters.ts';
import { toInt } from './model.ts';
import { targetKeys, type BulkJob, type CommandResult, type JobTarget } from './job.ts';

export const DEFAULT_MAX_ATTEMPTS = 3;

export function targetIndex(job: BulkJob): Map<string, JobTarget> {
  return new Map(job.targets.map((target) => [target.dialogId, target]));
}

/** A sub-call's value as a result: objects and `true` changed something, `false` did not. */
export function toResult(value: unknown): CommandResult {
  if (value === false || value === null || value === undefined) return { ok: true, value: false };
  if (typeof value === 'object' && !Array.isArray(value)) {
    const lastId = toInt((value as Record<string, unknown>)['lastId']);
    if ((value as Record<string, unknown>)['result'] === false) return { ok: true, value: false };
    return Number.isSafeInteger(lastId) && lastId > 0 ? { ok: true, value: true, lastId } : { ok: true, value: true };
  }
  return { ok: true, value: true };
}

/** Puts keys back in the queue: into the last unsent chunk while it has room, else new chunks. */
export function enqueue(job: BulkJob, keys: readonly string[]): void {
  for (const key of keys) {
    const lastIndex = job.chunks.length - 1;
    const last = job.chunks[lastIndex];
    if (last && lastIndex > job.cursor && last.length < BATCH_LIMIT && !last.includes(key)) last.push(key);
    else job.chunks.push([key]);
  }
}

/** Derives a chat's outcome once every sub-call it needs has a final result. */
export function settleChat(job: BulkJob, target: JobTarget): void {
  const keys = targetKeys(target);
  const results = keys.map((key) => job.results[key]);
  if (results.some((r) => r === undefined)) return;
  const read = target.read ? job.results[readKey(target.dialogId)] : undefined;
  const mark = target.clearMark ? job.results[clearMarkKey(target.dialogId)] : undefined;
  const failure = results.find((r): r is { ok: false; code: string } => r !== undefined && !r.ok);
  const didRead = read?.ok === true && read.value;
  const didClear = mark?.ok === true && mark.value;
  job.outcomes[target.dialogId] = {
    status: failure ? 'failed' : didRead || didClear ? 'read' : 'skipped',
    ...(failure ? { code: failure.code } : {}),
    read: didRead,
    markCleared: didClear,
    ...(read?.ok && read.lastId !== undefined ? { lastId: read.lastId } : {}),
  };
}

export function settleKeys(job: BulkJob, keys: readonly string[]): void {
  const targets = targetIndex(job);
  const done = new Set<string>();
  for (const key of keys) {
    const dialogId = parseKey(key)?.dialogId;
    const target = dialogId ? targets.get(dialogId) : undefined;
    if (target && !done.has(target.dialogId)) {
      done.add(target.dialogId);
      settleChat(job, target);
    }
  }
}

/** Read-all could not run: read every unsettled target chat by chat. */
export function fallBackToBatches(job: BulkJob): void {
  job.readAllFallback = true;
  job.readAllSettled = true;
  enqueue(job, job.targets.filter((t) => !job.outcomes[t.dialogId]).flatMap(targetKeys));
}

/** After `im.dialog.read.all`: targets counters no longer list are read; the rest go chat by chat. */
export function settleReadAll(job: BulkJob, counters: Counters): void {
  job.readAllSettled = true;
  const leftovers: string[] = [];
  for (const target of job.targets) {
    if (job.outcomes[target.dialogId]) continue;
    if (isStillUnread(counters, target)) leftovers.push(...targetKeys(target));
    else job.outcomes[target.dialogId] = { status: 'read', read: target.read, markCleared: target.clearMark };
  }
  enqueue(job, leftovers);
}

function isCounters(value: unknown): value is Counters {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Record<string, unknown>)['TYPE'] === 'object';
}

export interface ApplyResult {
  /** A sub-call hit the per-method time budget: pause until it resets. */
  pause?: { kind: string; code: string };
  /** The latest `operating_reset_at` (ms) the blocked sub-calls carry, when the client knew it. */
  resetAt?: number;
}

/** Records one chunk's outcome; transient failures are queued again (bounded), others are final. */
export function applyChunkOutcome(job: BulkJob, sentKeys: readonly string[], outcome: BatchOutcome, maxAttempts = DEFAULT_MAX_ATTEMPTS): ApplyResult {
  let pause: ApplyResult['pause'];
  let resetAt: number | undefined;
  const retry: string[] = [];
  for (const key of sentKeys) {
    if (key === COUNTERS_KEY) continue;
    const error = outcome.errors[key];
    if (!error && key in outcome.results) {
      job.results[key] = toResult(outcome.results[key]);
      continue;
    }
    const kind = error?.kind ?? 'server';
    const code = error?.code ?? 'NOT_RUN';
    const transient = error ? error.transient : true;
    const attempts = (job.attempts[key] ?? 0) + 1;
    job.attempts[key] = attempts;
    if (kind === 'operating') {
      // The budget frees up only minutes later; every further read would fail the same way.
      retry.push(key);
      pause = { kind, code };
      const reset = error?.extra['resetAt'];
      if (typeof reset === 'number' && Number.isFinite(reset)) resetAt = Math.max(resetAt ?? 0, reset);
    } else if (transient && attempts < maxAttempts) {
      retry.push(key);
    } else {
      job.results[key] = { ok: false, code };
    }
  }
  const counters = outcome.results[COUNTERS_KEY];
  const fresh = isCounters(counters) && !outcome.errors[COUNTERS_KEY];
  if (fresh) job.countersAfter = counters;
  enqueue(job, retry);

  if (job.strategy === 'read-all' && !job.readAllSettled) {
    const readAll = job.results[READ_ALL_KEY];
    if (readAll && !readAll.ok) fallBackToBatches(job);
    else if (readAll?.ok && fresh) settleReadAll(job, counters);
    else if (readAll?.ok) {
      const attempts = (job.attempts[COUNTERS_KEY] ?? 0) + 1;
      job.attempts[COUNTERS_KEY] = attempts;
      if (attempts < maxAttempts) job.chunks.push([COUNTERS_KEY]);
      else fallBackToBatches(job);
    }
  }
  settleKeys(job, sentKeys);
  return pause ? { pause, ...(resetAt !== undefined ? { resetAt } : {}) } : {};
}
