// What Bitrix24 accepts as ids. Anything that fails here is never sent to the portal.

/** `chatN` group chat, `sgN` workgroup chat, `crmN` a CRM entity chat, `N` a 1:1 dialog with user N (doc: web-UI "Dialog ids"). */
const DIALOG_ID = /^(?:[1-9][0-9]{0,17}|(?:chat|sg|crm)[1-9][0-9]{0,17})$/;

/** Canonical dialog id (lower-case prefix) or null when the value is not one. */
export function parseDialogId(value: unknown): string | null {
  if (typeof value === 'number') value = String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim().toLowerCase();
  return DIALOG_ID.test(trimmed) ? trimmed : null;
}

/** A message id: a positive safe integer given as a number or a string of digits (never a UUID). */
export function parseMessageId(value: unknown): number | null {
  if (typeof value === 'string') {
    if (!/^[1-9][0-9]{0,15}$/.test(value.trim())) return null;
    value = Number(value.trim());
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) return null;
  return value;
}
