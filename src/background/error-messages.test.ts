import { describe, expect, it } from 'vitest';
import { RestError } from '../core/rest/errors.ts';
import { errorFromBody, parseResponse } from '../core/rest/parse.ts';
import { describeError } from './error-messages.ts';

describe('describeError', () => {
  it('a code Bitrix24 may add later is named in a clear message, not swallowed', () => {
    const error = errorFromBody({ error: 'BRAND_NEW_CODE', error_description: 'something new' }, 400);
    expect(error.kind).toBe('unknown');
    expect(describeError(error)).toEqual({ message: { key: 'errorRequest', substitutions: ['BRAND_NEW_CODE'] }, code: 'BRAND_NEW_CODE' });
  });

  it('an oversized answer says so instead of blaming a login page', () => {
    const parsed = parseResponse({ status: 200, body: '', truncated: true });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(describeError(parsed.error).message.key).toBe('errorTooLarge');
    const login = parseResponse({ status: 200, body: '<html>login</html>', contentType: 'text/html' });
    expect(!login.ok && describeError(login.error).message.key).toBe('errorNotJson');
  });

  it('an absurdly long unknown code is cut for the message', () => {
    const error = new RestError('unknown', 'X'.repeat(500), '', 400);
    expect(describeError(error).message.substitutions?.[0]).toHaveLength(60);
  });
});
