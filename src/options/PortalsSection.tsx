// Self-hosted portals the user enabled (enabling lives elsewhere); disabling gives the host access back.
import browser from 'webextension-polyfill';
import { t } from '../shared/i18n.ts';
import type { Announce, Update } from './form-contract.ts';
import { originPattern } from '../shared/origins.ts';

interface Props {
  origins: string[];
  update: Update;
  announce: Announce;
}

export function PortalsSection({ origins, update, announce }: Props) {
  async function disable(origin: string): Promise<void> {
    try {
      await browser.permissions.remove({ origins: [originPattern(origin)] });
    } catch {
      // Already gone, or never optional: the list below is what matters to the user.
    }
    const remaining = origins.filter((o) => o !== origin);
    await update({ selfHostedOrigins: remaining }, t('optionsPortalDisabled', [origin]));
  }

  return (
    <section aria-labelledby="portals-heading">
      <h2 id="portals-heading">{t('optionsPortalsHeading')}</h2>
      {origins.length === 0 ? (
        <p class="muted" data-testid="portals-none">
          {t('optionsPortalsNone')}
        </p>
      ) : (
        <ul class="portals" data-testid="portals">
          {origins.map((origin) => (
            <li key={origin}>
              <span>{origin}</span>
              <button type="button" class="secondary" aria-label={t('optionsPortalDisableLabel', [origin])} onClick={() => void disable(origin).catch(() => announce({ ok: false, text: t('optionsSaveFailed') }))}>
                {t('optionsPortalDisable')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
