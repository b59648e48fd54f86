// Each rule's state and last runs in storage.local (key `ruleLog`), written only by the worker; the
// options page reads it. The last run keeps its job, so it can be undone.
import browser from 'webextension-polyfill';
import type { ChatKind } from '../../core/bulk/index.ts';
import type { StoredJob } from '../bulk/job-store.ts';
import { RULE_LOG_KEY, type RuleLog, type RuleRunEntry, type RuleState } from '../../shared/rule-log.ts';

export type { RuleLog, RuleRunEntry, RuleState };

/** Runs kept per rule. */
const KEEP = 10;

export async function loadRuleLog(): Promise<RuleLog> {
  const value = (await browser.storage.local.get(RULE_LOG_KEY))[RULE_LOG_KEY];
  return value && typeof value === 'object' ? (value as RuleLog) : {};
}

let writing: Promise<unknown> = Promise.resolve();

/** Changes one rule's state, one write after another. */
export function updateRuleState(ruleId: string, change: (state: RuleState) => void): Promise<RuleState> {
  const run = writing.then(async () => {
    const log = await loadRuleLog();
    const state: RuleState = log[ruleId] ?? { runs: [] };
    change(state);
    state.runs = state.runs.slice(0, KEEP);
    log[ruleId] = state;
    await browser.storage.local.set({ [RULE_LOG_KEY]: structuredClone(log) });
    return state;
  });
  writing = run.catch(() => undefined);
  return run;
}

/** A log entry from a finished job: chats and messages read by kind, what was skipped and why. */
export function entryOf(stored: StoredJob, base: Pick<RuleRunEntry, 'at' | 'trigger' | 'skipped' | 'filtersOff'>): RuleRunEntry {
  const { job } = stored;
  const readByKind: Partial<Record<ChatKind, number>> = {};
  const messagesByKind: Partial<Record<ChatKind, number>> = {};
  let read = 0;
  let messages = 0;
  for (const target of job.targets) {
    if (job.outcomes[target.dialogId]?.status !== 'read') continue;
    read += 1;
    messages += target.counter;
    readByKind[target.kind] = (readByKind[target.kind] ?? 0) + 1;
    messagesByKind[target.kind] = (messagesByKind[target.kind] ?? 0) + target.counter;
  }
  return { ...base, status: job.status, read, messages, readByKind, messagesByKind, requests: job.requests, jobId: job.id };
}
