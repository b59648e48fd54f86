// Judges a bulk read by the portal's own record: which chats the job was meant to read (from the
// state before it), which `im.dialog.read` calls the portal ran, and where the read pointers ended.
import type { TestInfo } from '@playwright/test';
import type { ChatView, Tenant } from './portal/index.ts';

export interface AuditStart {
  before: Map<string, ChatView>;
  targets: ChatView[];
  calls: number;
  events: number;
  log: number;
}

export interface ReadAudit {
  scenario: string;
  /** Chats the plan named. */
  targets: number;
  /** Targets whose pointer reached the message seen at discovery (and whose manual mark went). */
  read: number;
  /** Targets left unread or still marked. */
  lost: number;
  /** Chats whose `im.dialog.read` the portal ran more than once (a repeat of the same MESSAGE_ID moves nothing). */
  readTwice: number;
  /** Chats whose read pointer the job moved more than once. */
  pointerMovedTwice: number;
  /** Chats read that were not targets. */
  nonTargetsRead: number;
  /** Reads that went past the message seen at discovery (a message that arrived later got read). */
  beyondDiscovered: number;
  /** REST requests during the job, and the ones answered with HTTP 503. */
  requests: number;
  http503: number;
}

/** "All chats" with the default filters: every kind but open lines, unread or marked. */
export const defaultTarget = (chat: ChatView): boolean => chat.kind !== 'lines' && (chat.counter > 0 || chat.manualUnread);

export function startAudit(tenant: Tenant, isTarget: (chat: ChatView) => boolean = defaultTarget): AuditStart {
  const chats = tenant.chats().map((chat) => ({ ...chat }));
  return {
    before: new Map(chats.map((chat) => [chat.dialogId, chat])),
    targets: chats.filter(isTarget),
    calls: tenant.readCalls.length,
    events: tenant.readEvents.length,
    log: tenant.log.length,
  };
}

/** `sgN` and `chatN` name the same workgroup chat: count both under the ChatView id. */
function canonical(tenant: Tenant, dialogId: string): string {
  return tenant.chat(dialogId)?.dialogId ?? dialogId;
}

/** Chats whose `im.dialog.read` the portal ran more than once since the start. */
export function readTwiceIds(tenant: Tenant, start: AuditStart): string[] {
  const calls = new Map<string, number>();
  for (const call of tenant.readCalls.slice(start.calls)) calls.set(canonical(tenant, call.dialogId), (calls.get(canonical(tenant, call.dialogId)) ?? 0) + 1);
  return [...calls].filter(([, n]) => n > 1).map(([id]) => id);
}

export function audit(tenant: Tenant, start: AuditStart, scenario: string): ReadAudit {
  const targetIds = new Set(start.targets.map((chat) => chat.dialogId));
  const calls = new Map<string, number>();
  for (const call of tenant.readCalls.slice(start.calls)) {
    const id = canonical(tenant, call.dialogId);
    calls.set(id, (calls.get(id) ?? 0) + 1);
  }
  const moves = tenant.readEvents.slice(start.events).filter((event) => event.via === 'im.dialog.read');
  const moveCounts = new Map<string, number>();
  for (const event of moves) moveCounts.set(canonical(tenant, event.dialogId), (moveCounts.get(canonical(tenant, event.dialogId)) ?? 0) + 1);
  const movedIds = new Set(moveCounts.keys());
  let read = 0;
  let lost = 0;
  for (const target of start.targets) {
    const after = tenant.chat(target.dialogId);
    const pointerOk = target.counter === 0 || (after !== undefined && after.lastReadId >= target.lastMessageId);
    const markOk = !target.manualUnread || after?.manualUnread === false;
    if (pointerOk && markOk) read += 1;
    else lost += 1;
  }
  const nonTargets = new Set([...calls.keys(), ...movedIds].filter((id) => !targetIds.has(id)));
  const beyond = moves.filter((event) => {
    const before = start.before.get(canonical(tenant, event.dialogId));
    return before !== undefined && event.toId > before.lastMessageId;
  }).length;
  const log = tenant.log.slice(start.log).filter((entry) => entry.path.startsWith('/rest/'));
  return {
    scenario,
    targets: start.targets.length,
    read,
    lost,
    readTwice: [...calls.values()].filter((n) => n > 1).length,
    pointerMovedTwice: [...moveCounts.values()].filter((n) => n > 1).length,
    nonTargetsRead: nonTargets.size,
    beyondDiscovered: beyond,
    requests: log.length,
    http503: log.filter((entry) => entry.status === 503).length,
  };
}

/** Prints the figures (the closing note and README quote them) and attaches them to the report. */
export async function reportAudit(testInfo: TestInfo, figures: ReadAudit): Promise<void> {
  console.log(`READ-AUDIT ${JSON.stringify(figures)}`);
  await testInfo.attach(`read-audit: ${figures.scenario}`, { body: JSON.stringify(figures, null, 2), contentType: 'application/json' });
}
