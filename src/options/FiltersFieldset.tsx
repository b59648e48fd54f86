// Default selection of "Mark all read": chat kinds, notifications, muted and pinned chats, manual marks.
import { t } from '../shared/i18n.ts';
import { CHAT_KINDS, type ChatKind } from '../core/bulk/model.ts';
import { MAX_OLDER_THAN_HOURS, type BulkFilters, type MutedFilter } from '../core/bulk/filters.ts';
import { Checkbox, Radio } from './controls.tsx';
import { KindIcon } from '../shared/chat-kinds.tsx';
import type { Update } from './form-contract.ts';

interface Props {
  filters: BulkFilters;
  update: Update;
}

const MUTED: Array<[MutedFilter, string]> = [
  ['include', 'optionsMutedInclude'],
  ['only', 'optionsMutedOnly'],
  ['skip', 'optionsMutedSkip'],
];

export function FiltersFieldset({ filters, update }: Props) {
  const change = (patch: Partial<BulkFilters>): void => void update({ filters: { ...filters, ...patch } });
  const toggleKind = (kind: ChatKind, on: boolean): void =>
    change({ kinds: CHAT_KINDS.filter((k) => (k === kind ? on : filters.kinds.includes(k))) });

  return (
    <fieldset>
      <legend>{t('optionsFiltersLegend')}</legend>
      <fieldset>
        <legend>{t('optionsKindsLegend')}</legend>
        {CHAT_KINDS.map((kind) => (
          <Checkbox
            key={kind}
            id={`kind-${kind}`}
            label={t(`chatKind_${kind}`)}
            icon={<KindIcon kind={kind} />}
            checked={filters.kinds.includes(kind)}
            hint={kind === 'lines' ? t('optionsLinesNote') : undefined}
            hintClass="note"
            onChange={(on) => toggleKind(kind, on)}
          />
        ))}
        {filters.kinds.length === 0 && !filters.notifications && (
          <p class="note" role="alert">
            {t('optionsNoKinds')}
          </p>
        )}
      </fieldset>
      <Checkbox id="filter-notifications" label={t('optionsFilterNotifications')} icon={<KindIcon kind="notifications" />} checked={filters.notifications} onChange={(on) => change({ notifications: on })} />
      <fieldset>
        <legend>{t('optionsMutedLegend')}</legend>
        {MUTED.map(([value, key]) => (
          <Radio key={value} id={`muted-${value}`} name="muted" label={t(key)} checked={filters.muted === value} onSelect={() => change({ muted: value })} />
        ))}
      </fieldset>
      <div class="spaced">
        <Checkbox id="skip-pinned" label={t('optionsSkipPinned')} checked={filters.skipPinned} onChange={(on) => change({ skipPinned: on })} />
        <Checkbox id="clear-marks" label={t('optionsClearMarks')} checked={filters.clearManualMarks} onChange={(on) => change({ clearManualMarks: on })} />
      </div>
      <fieldset>
        <legend>{t('optionsFinerLegend')}</legend>
        <div class="field">
          <label for="older-than">{t('optionsOlderThan')}</label>
          <input
            id="older-than"
            type="number"
            min={1}
            max={MAX_OLDER_THAN_HOURS}
            value={filters.olderThanHours ?? ''}
            onChange={(e) => {
              const n = Number(e.currentTarget.value);
              change({ olderThanHours: e.currentTarget.value === '' || !(n > 0) ? null : n });
            }}
          />
        </div>
        <Checkbox id="skip-mentioned" label={t('optionsSkipMentioned')} checked={filters.skipMentioned} hint={t('optionsSkipMentionedNote')} onChange={(on) => change({ skipMentioned: on })} />
        <Checkbox id="system-only" label={t('optionsSystemOnly')} checked={filters.systemOnly} onChange={(on) => change({ systemOnly: on })} />
        <div class="field">
          <label for="title-contains">{t('optionsTitleContains')}</label>
          <input id="title-contains" type="text" maxLength={200} value={filters.titleContains} onChange={(e) => change({ titleContains: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="title-not-contains">{t('optionsTitleNotContains')}</label>
          <input id="title-not-contains" type="text" maxLength={200} value={filters.titleNotContains} onChange={(e) => change({ titleNotContains: e.currentTarget.value })} />
        </div>
      </fieldset>
    </fieldset>
  );
}
