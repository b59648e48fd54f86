// The bulk read engine: discover unread chats, plan which to read, run (and resume) the job, undo it.
export { CHAT_KINDS, classifyRecentItem, isValidDialogId, isValidMessageId } from './model.ts';
export type { ChatKind, UnreadChat, DropReason, ClassifyResult } from './model.ts';
export { discover, RECENT_PAGE_SIZE } from './discover.ts';
export type { Inventory, DiscoverOptions } from './discover.ts';
export { DEFAULT_FILTERS, InvalidFiltersError, isDefaultFilters, validateFilters } from './filters.ts';
export type { BulkFilters, MutedFilter } from './filters.ts';
export { planBulkRead } from './plan.ts';
export type { BulkPlan, ExclusionReason, PlanOptions, Strategy } from './plan.ts';
export { BATCH_LIMIT, buildReadCommands, readChunks } from './commands.ts';
export type { ReadCommand, ReadCommandOptions } from './commands.ts';
export { createJob, jobProgress, resumeDue, waitsForPortalTab, waitsForUser } from './job.ts';
export type { BulkJob, ChatOutcome, JobMeta, JobProgress, JobStatus, JobTarget } from './job.ts';
export { runJob } from './run-job.ts';
export type { RunJobDeps } from './run-job.ts';
export { undoJob, undoReport } from './undo.ts';
export type { UndoDeps, UndoLimit, UndoReport, UndoState } from './undo.ts';
export { authorsFromItem, filtersOff, finerReason, lookUpUnreadAuthors, needsAuthorLookup } from './finer-filters.ts';
export type { AuthorVerdict, FilterOff, FinerFacts, FinerReason } from './finer-filters.ts';
