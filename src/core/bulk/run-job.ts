// Runs (or resumes) a bulk read chunk by chunk, saving before and after every request, so that a
// stopped service worker, a lost answer or a logout never reads a chat twice or loses progress.
import type { BatchOutcome, RestApi } from '../rest/api.ts';
import type { BatchCommand, Counters } from '../rest/types.ts';
import { hasManualMark, isStillUnread } from './counters.ts';
import { RestError } from '../rest/errors.ts';
import {
  BATCH_LIMIT,
  batchRequests,
  clearMarkCommand,
  COUNTERS_KEY,
  countersCommand,
  findNewerCommand,
  keepNewerCommand,
  notifyCommand,
  parseKey,
  readAllCommand,
  readCommand,
  toBatchCommand,
  type ReadCommand,
} from './commands.ts';
import { dialogLastReadId } from './model.ts';
import { jobProgress, resumeDue, type BulkJob, type JobProgress, type JobTarget } from './job.ts';
import { applyChunkOutcome, DEFAULT_MAX_ATTEMPTS, enqueue, followNewer, settleKeys, targetIndex } from './job-results.ts';

export interface RunJobDeps {
  api: RestApi;
  /** Persists the job; called with the live object, so serialise it before awaiting anything. */
  save(job: BulkJob): Promise<void>;
  /** Cancels after the current chunk. */
  signal?: AbortSignal;
  onProgress?(progress: JobProgress): void;
  now?(): number;
  /** Back-off before resending transient failures (default: a timer, ended by `signal`). */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  maxAttempts?: number;
  /** Base back-off per retry round (default 2 s × attempt). */
  retryDelayMs?: number;
}

const TERMINAL = new Set(['done', 'cancelled', 'failed']);
/** After OPERATION_TIME_LIMIT with no known `operating_reset_at`: one of the budget's 1-minute buckets. */
export const OPERATING_FALLBACK_WAIT_MS = 60_000;
const MAX_VERIFY_ROUNDS = 3;
const VERIFY_COUNTERS_KEY = 'vc';

function isCountersAnswer(value: unknown): value is Counters {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Record<string, unknown>)['TYPE'] === 'object';
}
/** Lost answers in a row before the job pauses instead of verifying again. */
const MAX_AMBIGUOUS_PER_RUN = 3;

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function resetAtOf(error: RestError): number | undefined {
  const reset = error.extra['resetAt'];
  return typeof reset === 'number' && Number.isFinite(reset) ? reset : undefined;
}

function commandForKey(key: string, targets: Map<string, JobTarget>, job: BulkJob): ReadCommand | null {
  const parsed = parseKey(key);
  if (!parsed) return null;
  switch (parsed.op) {
    case 'notify':
      return notifyCommand();
    case 'read-all':
      return readAllCommand();
    case 'counters':
      return countersCommand();
    case 'read':
    case 'clear-mark':
    case 'find-newer':
    case 'keep-newer': {
      const target = parsed.dialogId ? targets.get(parsed.dialogId) : undefined;
      if (!target) return null;
      if (parsed.op === 'read') return readCommand({ dialogId: target.dialogId, lastMessageId: target.readTo }, job.mode ?? 'receipts');
      if (parsed.op === 'clear-mark') return clearMarkCommand(target);
      if (parsed.op === 'find-newer') return findNewerCommand(target.dialogId, target.readTo);
      const firstNew = job.newer?.[target.dialogId]?.firstNew;
      return firstNew === undefined ? null : keepNewerCommand(target.dialogId, firstNew);
    }
  }
  return null;
}

/** How a failed outer request leaves the job. */
function outerFailure(error: RestError): { action: 'verify' | 'pause' | 'fail'; keepInFlight: boolean } {
  if (error.extra['maybeExecuted'] === true) return { action: 'verify', keepInFlight: true };
  switch (error.kind) {
    case 'auth':
    case 'rate':
    case 'operating':
      return { action: 'pause', keepInFlight: false }; // refused before any sub-call ran
    case 'network':
    case 'server':
    case 'not_json':
    case 'unknown':
      return { action: 'pause', keepInFlight: true }; // may have run: verify on resume
    default:
      return { action: 'fail', keepInFlight: false }; // access, overload, request, method_not_found
  }
}

export async function runJob(job: BulkJob, deps: RunJobDeps): Promise<BulkJob> {
  if (TERMINAL.has(job.status)) return job;
  const now = deps.now ?? Date.now;
  // The method's time budget has not reset yet: every read would be refused again.
  if (!resumeDue(job, now())) return job;
  const sleep = deps.sleep ?? defaultSleep;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const targets = targetIndex(job);
  const runStart = now();
  const runRequestsAtStart = job.requests;
  let ambiguous = 0;

  const progress = () => {
    const made = job.requests - runRequestsAtStart;
    deps.onProgress?.(jobProgress(job, made > 0 ? (now() - runStart) / made : 0));
  };
  const stop = async (status: 'paused' | 'failed' | 'cancelled', reason?: { kind: string; code: string }, resetAt?: number) => {
    job.status = status;
    if (status === 'paused' && reason) job.pauseReason = reason;
    if (status === 'paused' && reason?.kind === 'operating') job.resumeAt = resetAt !== undefined && resetAt > now() ? resetAt : now() + OPERATING_FALLBACK_WAIT_MS;
    if (status === 'failed' && reason) job.error = reason;
    if (status !== 'paused') job.finishedAt = now();
    await deps.save(job);
    progress();
    return job;
  };
  const send = async (commands: Record<string, BatchCommand>): Promise<BatchOutcome> => {
    try {
      return await deps.api.batch(commands, { halt: false, retryAmbiguous: false });
    } finally {
      job.requests += batchRequests(Object.keys(commands).length);
      if (job.inFlight) job.inFlight.counted = true;
    }
  };

  job.status = 'running';
  delete job.pauseReason;
  delete job.resumeAt;
  job.startedAt ??= now();
  await deps.save(job);

  // A worker stopped mid-request never recorded that request: count it (it most likely left).
  if (job.inFlight && !job.inFlight.counted) {
    job.requests += 1;
    job.inFlight.counted = true;
  }

  for (;;) {
    if (job.inFlight) {
      let verified: Awaited<ReturnType<typeof verifyInFlight>>;
      try {
        verified = await verifyInFlight(job, targets, send, sleep, deps.signal);
      } catch (error) {
        if (!(error instanceof RestError)) throw error;
        const failure = outerFailure(error);
        return stop(failure.action === 'fail' ? 'failed' : 'paused', { kind: error.kind, code: error.code }, resetAtOf(error));
      }
      await deps.save(job);
      progress();
      if (!verified) continue;
    }
    const keys = job.chunks[job.cursor];
    if (keys === undefined) break;
    if (keys.length === 0) {
      job.cursor += 1;
      continue;
    }
    if (deps.signal?.aborted) return stop('cancelled');

    const commands: Record<string, BatchCommand> = {};
    for (const key of keys) {
      const command = commandForKey(key, targets, job);
      if (command) commands[key] = toBatchCommand(command);
      else job.results[key] = { ok: false, code: 'INVALID_KEY' };
    }
    if (Object.keys(commands).length === 0) {
      job.cursor += 1;
      continue;
    }
    const isLast = job.cursor === job.chunks.length - 1;
    if (isLast && !(COUNTERS_KEY in commands) && Object.keys(commands).length < BATCH_LIMIT) commands[COUNTERS_KEY] = toBatchCommand(countersCommand());

    const retryRound = Math.max(0, ...keys.map((key) => job.attempts[key] ?? 0));
    if (retryRound > 0) {
      await sleep((deps.retryDelayMs ?? 2000) * retryRound, deps.signal);
      if (deps.signal?.aborted) return stop('cancelled');
    }

    job.inFlight = { chunk: job.cursor, keys: Object.keys(commands), sentAt: now() };
    await deps.save(job);
    let outcome: BatchOutcome;
    try {
      outcome = await send(commands);
    } catch (error) {
      if (!(error instanceof RestError)) throw error; // e.g. the worker being torn down: state is saved
      const failure = outerFailure(error);
      if (!failure.keepInFlight) delete job.inFlight;
      if (failure.action === 'verify' && ambiguous < MAX_AMBIGUOUS_PER_RUN) {
        ambiguous += 1;
        await deps.save(job);
        continue;
      }
      return stop(failure.action === 'fail' ? 'failed' : 'paused', { kind: error.kind, code: error.code }, resetAtOf(error));
    }
    ambiguous = 0;
    const applied = applyChunkOutcome(job, Object.keys(commands), outcome, maxAttempts);
    delete job.inFlight;
    job.cursor += 1;
    if (applied.pause) return stop('paused', applied.pause, applied.resetAt);
    await deps.save(job);
    progress();
  }

  job.status = 'done';
  job.finishedAt = now();
  await deps.save(job);
  progress();
  return job;
}

/**
 * A chunk was sent but its answer never arrived. `im.dialog.get` tells which reads ran
 * (`last_id ≥ readTo`); those are recorded, the rest stay in the chunk to be sent again.
 * `chat` mode: a read that ran may have read past discovery (`last_id > readTo`), so the chat
 * gets the follow-up that puts newer messages back; a chat with nothing to move (a manual mark
 * only) cannot prove it ran and is read again (no receipts, same effect).
 * Returns false when verification must run again (transient sub-call errors).
 */
async function verifyInFlight(
  job: BulkJob,
  targets: Map<string, JobTarget>,
  send: (commands: Record<string, BatchCommand>) => Promise<BatchOutcome>,
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  const inFlight = job.inFlight;
  if (!inFlight) return true;
  job.cursor = inFlight.chunk;
  const reads = inFlight.keys.filter((key) => !job.results[key] && parseKey(key)?.op === 'read');
  const commands: Record<string, BatchCommand> = {};
  for (const key of reads) {
    const dialogId = parseKey(key)?.dialogId;
    if (dialogId) commands[`g_${dialogId}`] = { method: 'im.dialog.get', params: { DIALOG_ID: dialogId } };
  }
  // `chat` mode: a chat with only a manual mark has no pointer to move; the counters say whether its mark is gone.
  const markOnly = (target: JobTarget | undefined) => job.mode === 'chat' && target !== undefined && target.lastReadId >= target.readTo;
  const needsCounters = reads.some((key) => markOnly(targets.get(parseKey(key)?.dialogId ?? '')));
  // (With 50 reads this takes a second request: the client sends ≤ 50 sub-calls per request.)
  if (needsCounters) commands[VERIFY_COUNTERS_KEY] = { method: 'im.counters.get' };
  const unverified: string[] = [];
  const ranReads: Array<[JobTarget, number]> = [];
  if (reads.length > 0) {
    const outcome = await send(commands);
    for (const key of reads) {
      const dialogId = parseKey(key)?.dialogId ?? '';
      const target = targets.get(dialogId);
      const error = outcome.errors[`g_${dialogId}`];
      const dialog = outcome.results[`g_${dialogId}`];
      if (error) {
        if (error.transient) unverified.push(key);
        else job.results[key] = { ok: false, code: error.code };
        continue;
      }
      const lastId = dialogLastReadId(dialog);
      if (!target || !Number.isSafeInteger(lastId) || lastId < target.readTo) continue;
      const counters = outcome.results[VERIFY_COUNTERS_KEY];
      if (markOnly(target) && isCountersAnswer(counters) && !outcome.errors[VERIFY_COUNTERS_KEY]) {
        // The mark is gone and nothing is counted: the read ran (a message since then would show in the counters).
        if (!hasManualMark(counters, target) && !isStillUnread(counters, target)) {
          job.results[key] = { ok: true, value: true, lastId };
          ranReads.push([target, lastId]);
        }
        continue;
      }
      // A mark-only chat proves nothing unless its pointer moved: read again (no receipts, same effect).
      if (job.mode === 'chat' && lastId <= target.lastReadId) continue;
      job.results[key] = { ok: true, value: true, lastId };
      ranReads.push([target, lastId]);
    }
    settleKeys(job, reads);
    for (const [target, lastId] of ranReads) followNewer(job, target, lastId);
  }
  const rounds = (inFlight.verifyAttempts ?? 0) + 1;
  if (unverified.length > 0 && rounds < MAX_VERIFY_ROUNDS) {
    job.inFlight = { ...inFlight, keys: unverified, verifyAttempts: rounds };
    await sleep(1000 * rounds, signal);
    return false;
  }
  for (const key of unverified) job.results[key] = { ok: false, code: 'UNVERIFIED' };
  settleKeys(job, unverified);
  // What did not run (or cannot be verified, like a mark removal: idempotent) rides with later chunks.
  const chunk = job.chunks[inFlight.chunk] ?? [];
  job.chunks[inFlight.chunk] = [];
  delete job.inFlight;
  enqueue(job, chunk.filter((key) => !job.results[key]));
  return true;
}
