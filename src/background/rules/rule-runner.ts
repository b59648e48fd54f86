// Standing rules in the worker: each trigger runs the rule's saved filter through the same plan →
// job → throttle → exactly-once path as a manual bulk read (the JobSupervisor). One queue: a rule
// waits while another operation runs and skips (saying so) when another job is still unfinished.
import browser from 'webextension-polyfill';
import { createJob, discover, lookUpUnreadAuthors, needsAuthorLookup, planBulkRead, type BulkJob } from '../../core/bulk/index.ts';
import { alarmFor, ruleAlarmName, RULE_ALARM_PREFIX, type Rule } from '../../core/rules/rule.ts';
import { RestError } from '../../core/rest/errors.ts';
import { loadSettings, readModeOf, saveSettings } from '../../shared/settings.ts';
import { originPattern } from '../../shared/origins.ts';
import type { RulePause, RuleTriggerSource } from '../../shared/rule-log.ts';
import { inspectTab } from '../portal-tab.ts';
import { portalClient, usesWebhook } from '../portal-clients.ts';
import { isActive, loadJob, type StoredJob } from '../bulk/job-store.ts';
import { becomesLoggedIn, loggedInPortalTab } from '../bulk/job-tabs.ts';
import { pageAnchors } from '../bulk/page-anchors.ts';
import type { JobSupervisor } from '../bulk/supervisor.ts';
import { entryOf, loadRuleLog, updateRuleState } from './rule-log.ts';

export type RuleRunResult = { ok: true; status: string } | { ok: false; code: string };

/** The chats open in the portal's tabs right now: never touched by a rule. */
async function openChats(portal: string): Promise<Set<string>> {
  const open = new Set<string>();
  const tabs = await browser.tabs.query({ url: originPattern(portal) }).catch(() => []);
  for (const tab of tabs) {
    if (tab.id === undefined) continue;
    const seen = await inspectTab(tab.id);
    if (seen.kind === 'portal' && seen.origin === portal && seen.detection.dialogId) open.add(seen.detection.dialogId);
  }
  return open;
}

export class RuleRunner {
  /** Rules running now (a trigger while its rule runs is dropped: the running one reads it). */
  private running = new Set<string>();

  constructor(private readonly supervisor: JobSupervisor) {}

  /** One alarm per rule with a timed trigger; alarms of removed or changed rules go. */
  async syncAlarms(rules: readonly Rule[], now = Date.now()): Promise<void> {
    const existing = (await browser.alarms.getAll()).filter((a) => a.name.startsWith(RULE_ALARM_PREFIX));
    const wanted = new Map(rules.map((rule) => [ruleAlarmName(rule.id), alarmFor(rule, now)]));
    for (const alarm of existing) {
      const want = wanted.get(alarm.name);
      if (!want || (want.periodInMinutes !== undefined && alarm.periodInMinutes !== want.periodInMinutes)) await browser.alarms.clear(alarm.name);
    }
    for (const [name, want] of wanted) {
      if (want && !existing.some((a) => a.name === name && a.periodInMinutes === want.periodInMinutes)) await browser.alarms.create(name, want);
    }
  }

  /** An alarm fired: the rule it names runs. */
  async onAlarm(name: string): Promise<void> {
    if (!name.startsWith(RULE_ALARM_PREFIX)) return;
    const id = name.slice(RULE_ALARM_PREFIX.length);
    const rule = (await loadSettings()).rules.find((r) => r.id === id);
    if (rule?.enabled) await this.run(rule.id, rule.trigger.kind === 'daily' ? 'daily' : 'alarm');
  }

  /** The portal's unread total was seen (a badge refresh): its "unread grows" rules run when it grew since last seen. */
  async totalSeen(portal: string, total: number): Promise<void> {
    const rules = (await loadSettings()).rules.filter((r) => r.enabled && r.portal === portal && r.trigger.kind === 'unread-grows');
    for (const rule of rules) {
      let grew = false;
      await updateRuleState(rule.id, (state) => {
        grew = state.lastTotal !== undefined && total > state.lastTotal;
        state.lastTotal = total;
      });
      if (grew) void this.run(rule.id, 'unread-grows');
    }
  }

  /** A portal page finished loading: paused rules of that portal go on once it is logged in. */
  async tabLoaded(tabId: number, url: string): Promise<void> {
    const log = await loadRuleLog();
    const rules = (await loadSettings()).rules.filter((r) => r.enabled && log[r.id]?.paused && url.startsWith(`${r.portal}/`));
    if (rules.length === 0 || !(await becomesLoggedIn(tabId, rules[0]!.portal))) return;
    for (const rule of rules) void this.run(rule.id, 'resume');
  }

  /** The user approved the first plan ("Run" in the options or the popup): runs now and silently from then on. */
  async approve(ruleId: string): Promise<RuleRunResult> {
    const settings = await loadSettings();
    if (!settings.rules.some((r) => r.id === ruleId)) return { ok: false, code: 'NO_RULE' };
    await saveSettings({ rules: settings.rules.map((r) => (r.id === ruleId ? { ...r, approved: true } : r)) });
    await updateRuleState(ruleId, (state) => delete state.pendingPlan);
    return this.run(ruleId, 'run-now');
  }

  private async pause(rule: Rule, reason: RulePause, trigger: RuleTriggerSource): Promise<RuleRunResult> {
    await updateRuleState(rule.id, (state) => {
      state.paused = reason;
      state.runs.unshift({ at: Date.now(), trigger, status: 'skipped', read: 0, messages: 0, readByKind: {}, messagesByKind: {}, skipped: {}, filtersOff: [], requests: 0 });
    });
    return { ok: false, code: `PAUSED_${reason.toUpperCase().replace('-', '_')}` };
  }

  /** Runs the rule once: plan, (first time) ask, job through the supervisor, log. Never rejects. */
  async run(ruleId: string, trigger: RuleTriggerSource): Promise<RuleRunResult> {
    if (this.running.has(ruleId)) return { ok: false, code: 'RULE_RUNNING' };
    this.running.add(ruleId);
    try {
      return await this.runOnce(ruleId, trigger);
    } catch (error) {
      console.error('rule run failed', error);
      return { ok: false, code: 'INTERNAL_ERROR' };
    } finally {
      this.running.delete(ruleId);
    }
  }

  private async runOnce(ruleId: string, trigger: RuleTriggerSource): Promise<RuleRunResult> {
    const settings = await loadSettings();
    const rule = settings.rules.find((r) => r.id === ruleId);
    if (!rule) return { ok: false, code: 'NO_RULE' };
    // One queue: wait for whatever runs now (a manual job, an undo, another rule's job).
    await this.supervisor.whenIdle();
    const current = await loadJob();
    if (current && isActive(current.job)) {
      await updateRuleState(rule.id, (state) =>
        state.runs.unshift({ at: Date.now(), trigger, status: 'skipped', read: 0, messages: 0, readByKind: {}, messagesByKind: {}, skipped: { busy: 1 }, filtersOff: [], requests: 0 }),
      );
      return { ok: false, code: 'JOB_RUNNING' };
    }
    const webhook = await usesWebhook(rule.portal);
    let tabId: number | null = null;
    if (!webhook) {
      const anyTab = (await browser.tabs.query({ url: originPattern(rule.portal) }).catch(() => [])).length > 0;
      tabId = await loggedInPortalTab(rule.portal, null);
      if (tabId === null) return this.pause(rule, anyTab ? 'logged-out' : 'no-tab', trigger);
    }
    const userId = tabId === null ? null : await inspectTab(tabId).then((t) => (t.kind === 'portal' ? t.detection.userId : null));
    let plan;
    try {
      const api = await portalClient(rule.portal, tabId);
      const inventory = await discover(api, { myUserId: userId ?? undefined, includeLines: rule.filters.kinds.includes('lines') });
      const open = await openChats(rule.portal);
      const filters = { ...rule.filters, never: [...new Set([...rule.filters.never, ...open])] };
      // System-only: the recent items first; a batched look-up only for the chats they do not settle.
      const candidates = planBulkRead(inventory, { ...filters, systemOnly: false }, { mode: readModeOf(settings) }).targets;
      const authors = filters.systemOnly ? (await lookUpUnreadAuthors(api, needsAuthorLookup(candidates))).authors : new Map();
      // Skip mentioned: the page's anchors; without a page (a webhook rule with no tab) the filter is off and the log says so.
      const anchored = filters.skipMentioned ? await pageAnchors(tabId ?? (await loggedInPortalTab(rule.portal, null)), inventory.chats) : null;
      plan = planBulkRead(inventory, filters, { mode: readModeOf(settings), facts: { now: Date.now(), anchored, authors } });
      const openSkipped = inventory.chats.filter((c) => open.has(c.dialogId) && !rule.filters.never.includes(c.dialogId)).length;
      const skipped: Record<string, number> = { ...plan.excluded.byReason };
      if (openSkipped > 0) {
        skipped['open'] = openSkipped;
        skipped['never'] = (skipped['never'] ?? 0) - openSkipped;
        if (skipped['never'] === 0) delete skipped['never'];
      }
      await updateRuleState(rule.id, (state) => delete state.paused);
      if (!rule.approved) {
        const byKind = Object.fromEntries(Object.entries(plan.byKind).filter(([, n]) => n > 0));
        await updateRuleState(rule.id, (state) => (state.pendingPlan = { at: Date.now(), chats: plan!.targets.length, messages: plan!.messages, byKind }));
        return { ok: false, code: 'NEEDS_APPROVAL' };
      }
      const base = { at: Date.now(), trigger, skipped, filtersOff: plan.filtersOff };
      if (plan.targets.length === 0) {
        await updateRuleState(rule.id, (state) => state.runs.unshift({ ...base, status: 'done', read: 0, messages: 0, readByKind: {}, messagesByKind: {}, requests: 0 }));
        return { ok: true, status: 'done' };
      }
      const stored: StoredJob = { tabId, confirmed: !settings.notifications, job: createJob(plan, { portal: rule.portal }) };
      const started = await this.supervisor.startJob(stored);
      if (started.error) {
        await updateRuleState(rule.id, (state) => state.runs.unshift({ ...base, status: 'skipped', read: 0, messages: 0, readByKind: {}, messagesByKind: {}, skipped: { ...skipped, busy: 1 }, requests: 0 }));
        return { ok: false, code: started.error.code };
      }
      const after = await loadJob();
      const finished: StoredJob = after && after.job.id === stored.job.id ? after : stored;
      await updateRuleState(rule.id, (state) => {
        state.runs.unshift(entryOf(finished, base));
        state.lastJob = finished;
        if (finished.job.status === 'paused' && finished.job.pauseReason?.kind === 'auth') state.paused = 'credentials';
      });
      return { ok: true, status: finished.job.status };
    } catch (error) {
      if (error instanceof RestError && error.kind === 'auth') return this.pause(rule, webhook ? 'credentials' : 'logged-out', trigger);
      throw error;
    }
  }

  /** Undo the rule's last run: every chat it read back to its previous unread state. */
  async undoLast(ruleId: string): Promise<RuleRunResult> {
    const state = (await loadRuleLog())[ruleId];
    const stored = state?.lastJob as StoredJob | undefined;
    if (!stored || !stored.job || stored.job.undo?.status === 'done') return { ok: false, code: 'NO_JOB' };
    await this.supervisor.whenIdle();
    const view = await this.supervisor.undoJobOf(stored, async (live) => {
      await updateRuleState(ruleId, (s) => (s.lastJob = structuredClone(live)));
    });
    if (view.error) return { ok: false, code: view.error.code };
    const undone = ((await loadRuleLog())[ruleId]?.lastJob as StoredJob | undefined)?.job as BulkJob | undefined;
    await updateRuleState(ruleId, (s) => {
      const entry = s.runs.find((r) => r.jobId === stored.job.id);
      if (entry && undone?.undo?.status === 'done') entry.undone = true;
    });
    return { ok: undone?.undo?.status === 'done', ...(undone?.undo?.status === 'done' ? { status: 'undone' } : { code: 'UNDO_PAUSED' }) } as RuleRunResult;
  }
}
