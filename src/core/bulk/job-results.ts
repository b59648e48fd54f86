// Bookkeeping of a job's sub-call results: per-chat outcomes, retries, read-all settlement.
import type { Counters } from '../rest/types.ts';
import type { BatchOutcome } from '../rest/api.ts';
import { BATCH_LIMIT, clearMarkKey, COUNTERS_KEY, findNewerKey, keepNewerKey, parseKey, READ_ALL_KEY, readKey } from './commands.ts';
import { isStillUnread } from './counters.ts';
import { isRecord } from '../is-record.ts';
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
  // `chat` mode: reading the whole chat removed the mark as well.
  const didClear = (mark?.ok === true && mark.value) || (job.mode === 'chat' && didRead && target.manualUnread);
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

/**
 * `chat` mode: a read that went past the newest message seen at discovery read something that
 * arrived during the job. Find the first such message, then mark the chat unread from it.
 */
export function followNewer(job: BulkJob, target: JobTarget, lastId: number | undefined): void {
  if (job.mode !== 'chat' || lastId === undefined || lastId <= target.readTo) return;
  job.newer ??= {};
  if (job.newer[target.dialogId]) return;
  job.newer[target.dialogId] = {};
  enqueue(job, [findNewerKey(target.dialogId)]);
}

/** The oldest message id after `readTo` in an `im.dialog.messages.get` answer. */
export function firstNewerId(value: unknown, readTo: number): number | undefined {
  const list = isRecord(value) && Array.isArray(value['messages']) ? value['messages'] : [];
  const ids = list.map((m) => toInt(isRecord(m) ? m['id'] : undefined)).filter((id) => Number.isSafeInteger(id) && id > readTo);
  return ids.length > 0 ? Math.min(...ids) : undefined;
}

function applyFollowUp(job: BulkJob, key: string, value: unknown, targets: Map<string, JobTarget>): void {
  const parsed = parseKey(key);
  const target = parsed?.dialogId ? targets.get(parsed.dialogId) : undefined;
  if (!parsed || !target) return;
  if (parsed.op === 'find-newer') {
    const firstNew = firstNewerId(value, target.readTo);
    // Nothing newer after all (deleted meanwhile): nothing to put back.
    if (firstNew === undefined) return;
    job.newer = { ...job.newer, [target.dialogId]: { firstNew } };
    enqueue(job, [keepNewerKey(target.dialogId)]);
  } else if (parsed.op === 'keep-newer') {
    const outcome = job.outcomes[target.dialogId];
    const firstNew = job.newer?.[target.dialogId]?.firstNew;
    const result = job.results[key];
    if (outcome && firstNew !== undefined && result?.ok) {
      outcome.keptFrom = firstNew;
      // The pointer now stands just before the first newer message, not at the end of the chat.
      delete outcome.lastId;
    }
  }
}

/** Records one chunk's outcome; transient failures are queued again (bounded), others are final. */
export function applyChunkOutcome(job: BulkJob, sentKeys: readonly string[], outcome: BatchOutcome, maxAttempts = DEFAULT_MAX_ATTEMPTS): ApplyResult {
  let pause: ApplyResult['pause'];
  let resetAt: number | undefined;
  const retry: string[] = [];
  const followUps: string[] = [];
  for (const key of sentKeys) {
    if (key === COUNTERS_KEY) continue;
    const error = outcome.errors[key];
    if (!error && key in outcome.results) {
      job.results[key] = toResult(outcome.results[key]);
      followUps.push(key);
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
  if (job.mode === 'chat') {
    const targets = targetIndex(job);
    for (const key of followUps) {
      const parsed = parseKey(key);
      const target = parsed?.dialogId ? targets.get(parsed.dialogId) : undefined;
      if (!parsed || !target) continue;
      if (parsed.op === 'read') {
        const result = job.results[key];
        followNewer(job, target, result?.ok ? result.lastId : undefined);
      } else if (parsed.op === 'find-newer' || parsed.op === 'keep-newer') {
        applyFollowUp(job, key, outcome.results[key], targets);
      }
    }
  }
  return pause ? { pause, ...(resetAt !== undefined ? { resetAt } : {}) } : {};
}
