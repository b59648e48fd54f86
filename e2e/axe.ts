// The accessibility audit of a page state: axe-core in the page, in the light and the dark colour
// scheme, failing on any serious or critical violation (colour contrast included).
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const SCHEMES = ['light', 'dark'] as const;

function describe(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').slice(0, 160)})` : ''}`).join('; ')}`);
}

/** Audits the page as it is now in both schemes; returns the page to the light scheme. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  for (const colorScheme of SCHEMES) {
    // Reduced motion: no colour transition is caught half-way.
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    const results = await new AxeBuilder({ page }).analyze();
    expect(describe(results.violations), `${state}, ${colorScheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
}
