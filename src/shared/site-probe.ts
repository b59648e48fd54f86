// Where the self-hosted probe (src/content/site-probe.iife.ts) leaves its answer in the page.
export const PROBE_RESULT_KEY = '__b24markReadProbe';

/** Runs in the page after the probe: takes its answer and removes it. Plain (no closure): it is serialised into the page. */
export function takeProbeResult(key: string): boolean {
  const page = window as unknown as Record<string, unknown>;
  const result = page[key] === true;
  delete page[key];
  return result;
}
