// The saved plan and job in storage.local, typed. Only the job supervisor writes the job.
import browser from 'webextension-polyfill';
import type { BulkJob, BulkPlan } from '../../core/bulk/index.ts';
import { JOB_KEY, PLAN_KEY } from '../../shared/job-storage.ts';
import type { FolderScope } from './folder-scope.ts';

export interface StoredPlan {
  planId: string;
  origin: string;
  /** The portal tab it was planned in; null when planned through the webhook with no tab. */
  tabId: number | null;
  plan: BulkPlan;
  /** "Read this folder": the folder it is limited to. */
  folder?: FolderScope | null;
}

export interface StoredJob {
  /** The portal tab that carries the job's session calls (and shows its badge); null for a webhook job with no tab. */
  tabId: number | null;
  /** The user saw the plan and confirmed it; otherwise the result notification offers Undo. */
  confirmed: boolean;
  job: BulkJob;
}

async function load<T>(key: string): Promise<T | null> {
  const value = (await browser.storage.local.get(key))[key];
  return value && typeof value === 'object' ? (value as T) : null;
}

export const loadPlan = (): Promise<StoredPlan | null> => load<StoredPlan>(PLAN_KEY);
export const loadJob = (): Promise<StoredJob | null> => load<StoredJob>(JOB_KEY);

export async function savePlan(stored: StoredPlan): Promise<void> {
  await browser.storage.local.set({ [PLAN_KEY]: stored });
}

export async function removePlan(): Promise<void> {
  await browser.storage.local.remove(PLAN_KEY);
}

export async function saveJob(stored: StoredJob): Promise<void> {
  // The engine keeps mutating the live job: store a copy taken now.
  await browser.storage.local.set({ [JOB_KEY]: structuredClone(stored) });
}

/** A job that is not over: the supervisor runs it (or waits for what it needs). */
export function isActive(job: BulkJob): boolean {
  return job.status === 'planned' || job.status === 'running' || job.status === 'paused';
}
