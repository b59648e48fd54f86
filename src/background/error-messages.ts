// Turns failures into `_locales` keys a user can act on. Never puts a URL or a secret in the text.
import { RestError } from '../core/rest/errors.ts';
import type { UserMessage } from '../shared/messages.ts';

export function describeError(error: unknown): { message: UserMessage; code: string } {
  if (!(error instanceof RestError)) return { message: { key: 'errorUnexpected' }, code: 'UNEXPECTED' };
  const code = error.code;
  switch (error.kind) {
    case 'auth':
      if (code === 'access_denied' || code === 'NO_AUTH_FOUND' || code === 'session_failed') return { message: { key: 'errorLoggedOut' }, code };
      if (code === 'insufficient_scope') return { message: { key: 'errorScope' }, code };
      return { message: { key: 'errorAuth' }, code };
    case 'rate':
      return { message: { key: 'errorRate' }, code };
    case 'operating':
      return { message: { key: 'errorOperating' }, code };
    case 'method_not_found':
      return { message: { key: 'errorMethodNotFound' }, code };
    case 'access':
      return { message: { key: code === 'ACCESS_DENIED' ? 'errorNoRestOnPlan' : 'errorAccess' }, code };
    case 'overload':
      return { message: { key: 'errorOverload' }, code };
    case 'network':
      return { message: { key: 'errorNetwork' }, code };
    case 'not_json':
      if (code === 'RESPONSE_TOO_LARGE') return { message: { key: 'errorTooLarge' }, code };
      return { message: { key: 'errorNotJson' }, code };
    case 'server':
      return { message: { key: 'errorServer' }, code };
    case 'request':
    case 'unknown':
      return { message: { key: 'errorRequest', substitutions: [code.slice(0, 60)] }, code };
  }
}
