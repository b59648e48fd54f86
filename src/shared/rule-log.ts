// The shape of the rules' state and log in storage.local: the worker writes it, the options page shows it.
import type { ChatKind } from '../core/bulk/kinds.ts';
import type { ExclusionReason } from '../core/bulk/plan.ts';
import type { FilterOff } from '../core/bulk/finer-filters.ts';
import type { JobStatus } from '../core/bulk/job.ts';

export const RULE_LOG_KEY = 'ruleLog';

export type RuleTriggerSource = 'alarm' | 'daily' | 'unread-grows' | 'run-now' | 'resume';

/** Why a rule cannot run now (shown in the options page) until what it waits for comes. */
export type RulePause = 'logged-out' | 'no-tab' | 'credentials' | 'error';

export interface RuleRunEntry {
  at: number;
  trigger: RuleTriggerSource;
  status: JobStatus | 'skipped';
  read: number;
  messages: number;
  readByKind: Partial<Record<ChatKind, number>>;
  messagesByKind: Partial<Record<ChatKind, number>>;
  /** Chats left unread by reason, plus `open` (the chat open in a portal tab) and `busy` (another job ran). */
  skipped: Partial<Record<ExclusionReason | 'open' | 'busy', number>>;
  filtersOff: FilterOff[];
  requests: number;
  jobId?: string;
  undone?: boolean;
}

export interface RuleState {
  runs: RuleRunEntry[];
  paused?: RulePause;
  /** The first run's plan, waiting for the user's go (chats, messages by kind). */
  pendingPlan?: { at: number; chats: number; messages: number; byKind: Partial<Record<ChatKind, number>> };
  /** The last run's job, for Undo. */
  lastJob?: unknown;
  /** The portal's unread total last seen (the "unread grows" trigger). */
  lastTotal?: number;
}

export type RuleLog = Record<string, RuleState>;
