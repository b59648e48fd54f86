// `npm run bench:popup`: how fast the popup paints, on this machine, in the built extension.
// Prints first paint / first contentful paint / first state rendered for the real popup and, in
// the same run, for a baseline: the same popup page with its script blocked (HTML + CSS only).
import { startPortal } from '../portal/index.ts';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { launchWithExtension, DIST, logIn } from '../browser.ts';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 30);

interface Sample {
  firstPaint: number;
  firstContentfulPaint: number;
  stateRendered: number | null;
}

function stats(values: number[]): string {
  // A load whose paint entry was not recorded yet counts as missing, not as NaN in the ranks.
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return 'no paint recorded';
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `median ${at(0.5).toFixed(1).padStart(6)} ms   p90 ${at(0.9).toFixed(1).padStart(6)} ms   max ${sorted[sorted.length - 1]!.toFixed(1).padStart(6)} ms`;
}

const portal = await startPortal({ port: 0 });
const context = await launchWithExtension({ portalPort: portal.port });
try {
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker');
  const extensionId = new URL(worker.url()).host;
  const tenant = portal.tenant('paint.bitrix24.ru');
  await logIn(context, tenant);
  const portalPage = await context.newPage();
  await portalPage.goto(`${tenant.origin}/online/`);
  const tabId = await worker.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id ?? -1, portalPage.url());
  const url = `chrome-extension://${extensionId}/src/popup/index.html?tabId=${tabId}`;

  // Baseline: the popup's own CSS and a static line of text, no script, as a data: page.
  const css = readFileSync(path.join(DIST, 'assets', readdirSync(path.join(DIST, 'assets')).find((f) => f.endsWith('.css') && readFileSync(path.join(DIST, 'assets', f), 'utf8').includes('min-width:320px'))!), 'utf8');
  const baselineUrl = `data:text/html;charset=utf-8,${encodeURIComponent(`<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body><main id="app"><p class="muted">Looking at this tab…</p></main></body></html>`)}`;

  // A second baseline: the popup page itself, its CSS loaded from the extension as in the real popup,
  // with script execution switched off (CDP). Unlike the data: page it does not pay for a long URL.
  async function measure(blockScript: boolean, noScriptPopup = false): Promise<Sample[]> {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const page = await context.newPage();
      await page.setViewportSize({ width: 380, height: 480 });
      if (noScriptPopup) await (await context.newCDPSession(page)).send('Emulation.setScriptExecutionDisabled', { value: true });
      await page.goto(blockScript ? baselineUrl : url);
      if (!blockScript && !noScriptPopup) await page.locator('[data-state]').first().waitFor();
      await page.waitForTimeout(50);
      samples.push(
        await page.evaluate(() => {
          const paints = Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime]));
          const mark = performance.getEntriesByName('popup-state').at(0);
          return { firstPaint: paints['first-paint'] ?? NaN, firstContentfulPaint: paints['first-contentful-paint'] ?? NaN, stateRendered: mark ? mark.startTime : null };
        }),
      );
      await page.close();
    }
    return samples;
  }

  // Warm-up (the first load compiles the bundle), then the measured runs.
  await measure(false);
  const popup = await measure(false);
  const baseline = await measure(true);
  const noScript = await measure(false, true);
  console.log(`Popup first paint, ${RUNS} loads each, headless Chromium, ${(await import('node:os')).cpus().length} CPUs; target: first paint < 100 ms\n`);
  console.log(`popup            first paint             ${stats(popup.map((s) => s.firstPaint))}`);
  console.log(`popup            first contentful paint  ${stats(popup.map((s) => s.firstContentfulPaint))}`);
  const rendered = popup.map((s) => s.stateRendered).filter((v): v is number => v !== null);
  if (rendered.length > 0) console.log(`popup            first state rendered     ${stats(rendered)}`);
  console.log(`baseline         first paint             ${stats(baseline.map((s) => s.firstPaint))}   (data: page, the popup's CSS, static text, no script)`);
  console.log(`baseline         first paint             ${stats(noScript.map((s) => s.firstPaint))}   (the popup page, script switched off)`);
  const median = [...popup.map((s) => s.firstPaint)].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  console.log(`\n${median < 100 ? 'PASS' : 'FAIL'}  median first paint ${median.toFixed(1)} ms < 100 ms`);
} finally {
  await context.close();
  await portal.close();
}
