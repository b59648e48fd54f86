// A malformed webhook URL in plain words: the same answer on the options page and in the worker.
import type { WebhookUrlProblem } from '../core/rest/webhook-transport.ts';
import type { WebhookCheckView } from './messages.ts';

export function webhookProblemView(problem: WebhookUrlProblem): Extract<WebhookCheckView, { ok: false }> {
  return { ok: false, message: { key: `webhookProblem_${problem}` }, code: `URL_${problem.toUpperCase()}` };
}
