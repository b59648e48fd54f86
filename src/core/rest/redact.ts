// Masks credentials in any text that may reach logs, errors or the UI.

/** Replaces `/rest/<uid>/<secret>` with `/rest/<uid>/***`, and masks `auth=`, `sessid=`, `'bitrix_sessid':'…'` values. */
export function redactWebhook(text: string): string {
  return text
    .replace(/\/rest\/(\d+)\/[^/\s?#"'<>&\\]+/gi, '/rest/$1/***')
    .replace(/%2Frest%2F(\d+)%2F[A-Za-z0-9]+/gi, '%2Frest%2F$1%2F***')
    .replace(/(\b(?:auth|sessid|bitrix_sessid|access_token|refresh_token)["']?\s*[=:]\s*["']?)[^&\s"'<>#,;)]+/gi, '$1***');
}
