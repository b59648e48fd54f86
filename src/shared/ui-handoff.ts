/** Set by the worker before it opens the popup for a shortcut's "mark all read": the popup plans at once. */
export const OPEN_PLAN_KEY = 'ui:open-plan';
/** How long such a request stays valid. */
export const OPEN_PLAN_TTL_MS = 30_000;
