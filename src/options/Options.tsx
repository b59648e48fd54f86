// The options page: every setting saves as soon as it changes, and a live region says "Saved".
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../shared/i18n.ts';
import { InvalidSettingsError, loadSettings, onSettingsChanged, saveSettings, type Settings, type SettingsPatch } from '../shared/settings.ts';
import { AuthFieldset } from './AuthFieldset.tsx';
import { PlanFieldset } from './PlanFieldset.tsx';
import { FiltersFieldset } from './FiltersFieldset.tsx';
import { ShortcutsSection } from './ShortcutsSection.tsx';
import { PortalsSection } from './PortalsSection.tsx';
import { Checkbox } from './controls.tsx';
import type { Announce, Status, Update } from './form-contract.ts';
import { AppearanceFieldset } from './AppearanceFieldset.tsx';
import { RulesSection } from './RulesSection.tsx';



export function Options() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const clearTimer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    void loadSettings().then(setSettings);
    return onSettingsChanged(setSettings);
  }, []);

  const announce: Announce = (next) => {
    clearTimeout(clearTimer.current);
    // Empty first, so a screen reader announces a repeated "Saved." again.
    setStatus(null);
    requestAnimationFrame(() => setStatus(next));
    if (next.ok) clearTimer.current = setTimeout(() => setStatus(null), 4000);
  };

  const update: Update = async (patch, okText) => {
    try {
      setSettings(await saveSettings(patch));
      announce({ ok: true, text: okText ?? t('optionsSaved') });
      return true;
    } catch (error) {
      const problem = error instanceof InvalidSettingsError ? error.problem : null;
      const text = problem === 'bucket_capacity' || problem === 'bucket_drain' || problem === 'rules' ? t(`settingsProblem_${problem}`) : t('optionsSaveFailed');
      announce({ ok: false, text });
      return false;
    }
  };

  return (
    <>
      <h1 class="brand">{t('optionsTitle')}</h1>
      <p class={`status ${status?.ok === false ? 'fail' : 'ok'}`} role="status" aria-live="polite" data-testid="save-status">
        {status?.text ?? ''}
      </p>
      {!settings ? (
        <p class="muted">{t('optionsLoading')}</p>
      ) : (
        <form onSubmit={(event) => event.preventDefault()} data-testid="options-form">
          <AuthFieldset authMode={settings.authMode} update={update} announce={announce} />
          <PlanFieldset settings={settings} update={update} />
          <FiltersFieldset filters={settings.filters} update={update} />
          <fieldset>
            <legend>{t('optionsBehaviourLegend')}</legend>
            <Checkbox id="confirm-bulk" label={t('optionsConfirmBulk')} checked={settings.confirmBulk} onChange={(on) => void update({ confirmBulk: on })} />
            <Checkbox id="notifications" label={t('optionsNotifications')} checked={settings.notifications} onChange={(on) => void update({ notifications: on })} />
            <Checkbox
              id="read-receipts"
              label={t('optionsReadReceipts')}
              checked={settings.readReceipts}
              hint={t('optionsReadReceiptsNote')}
              hintClass="note"
              onChange={(on) => void update({ readReceipts: on })}
            />
          </fieldset>
          <RulesSection settings={settings} update={update} announce={announce} />
          <AppearanceFieldset theme={settings.theme} update={update} />
          <ShortcutsSection />
          <PortalsSection origins={settings.selfHostedOrigins} update={update} announce={announce} />
        </form>
      )}
    </>
  );
}
