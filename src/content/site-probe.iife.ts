// Injected (MAIN world, on the popup's click) into a page the extension does not run on yet, to
// tell whether it is a self-hosted Bitrix24 portal. It leaves its answer where the worker's next
// injection reads and removes it, so the worker carries no selector of the page.
import { PROBE_MARKERS, probeBitrix24Page } from './site-adapter.ts';
import { PROBE_RESULT_KEY } from '../shared/site-probe.ts';

if (typeof window !== 'undefined') (window as unknown as Record<string, unknown>)[PROBE_RESULT_KEY] = probeBitrix24Page(PROBE_MARKERS);
