// The plan picks the request pacing; custom numbers are checked before they are saved.
import { useEffect, useState } from 'preact/hooks';
import { t } from '../shared/i18n.ts';
import { CUSTOM_BUCKET_LIMITS, customBucketProblem, type Plan, type Settings } from '../shared/settings.ts';
import { Radio } from './controls.tsx';
import type { Update } from './form-contract.ts';

interface Props {
  settings: Settings;
  update: Update;
}

const PLANS: Array<[Plan, string]> = [
  ['standard', 'optionsPlanStandard'],
  ['enterprise', 'optionsPlanEnterprise'],
  ['custom', 'optionsPlanCustom'],
];

export function PlanFieldset({ settings, update }: Props) {
  const { plan, bucket } = settings;
  const [capacity, setCapacity] = useState(String(bucket.capacity));
  const [drain, setDrain] = useState(String(bucket.drainPerSec));
  const [problem, setProblem] = useState<'bucket_capacity' | 'bucket_drain' | null>(null);

  useEffect(() => {
    // Follow saved settings, but never overwrite a number the user is typing (a save of the other
    // field can land mid-edit).
    const editing = document.activeElement?.id;
    if (editing !== 'bucket-capacity') setCapacity(String(bucket.capacity));
    if (editing !== 'bucket-drain') setDrain(String(bucket.drainPerSec));
  }, [bucket.capacity, bucket.drainPerSec]);

  function saveNumbers(nextCapacity: string, nextDrain: string): void {
    // Accept a decimal comma as well as a point (ru keyboards).
    const values = [nextCapacity, nextDrain].map((text) => (text.trim() === '' ? Number.NaN : Number(text.trim().replace(',', '.'))));
    const found = customBucketProblem(values[0], values[1]);
    setProblem(found);
    if (!found) void update({ plan: 'custom', bucket: { capacity: values[0]!, drainPerSec: values[1]! } });
  }

  return (
    <fieldset>
      <legend>{t('optionsPlanLegend')}</legend>
      <p class="muted">{t('optionsPlanHint')}</p>
      {PLANS.map(([value, key]) => (
        <Radio
          key={value}
          id={`plan-${value}`}
          name="plan"
          label={t(key)}
          checked={plan === value}
          onSelect={() => {
            setProblem(null);
            void update({ plan: value });
          }}
        />
      ))}
      {plan === 'custom' && (
        <div class="numbers">
          <div class="field">
            <label for="bucket-capacity">{t('optionsBucketCapacity')}</label>
            <input
              id="bucket-capacity"
              type="number"
              inputMode="numeric"
              min={CUSTOM_BUCKET_LIMITS.capacity.min}
              max={CUSTOM_BUCKET_LIMITS.capacity.max}
              step={1}
              value={capacity}
              aria-invalid={problem === 'bucket_capacity' ? 'true' : undefined}
              aria-describedby={problem === 'bucket_capacity' ? 'bucket-problem' : undefined}
              onInput={(event) => setCapacity(event.currentTarget.value)}
              onChange={(event) => saveNumbers(event.currentTarget.value, drain)}
            />
          </div>
          <div class="field">
            <label for="bucket-drain">{t('optionsBucketDrain')}</label>
            <input
              id="bucket-drain"
              type="number"
              inputMode="decimal"
              min={CUSTOM_BUCKET_LIMITS.drainPerSec.min}
              max={CUSTOM_BUCKET_LIMITS.drainPerSec.max}
              step={0.1}
              value={drain}
              aria-invalid={problem === 'bucket_drain' ? 'true' : undefined}
              aria-describedby={problem === 'bucket_drain' ? 'bucket-problem' : undefined}
              onInput={(event) => setDrain(event.currentTarget.value)}
              onChange={(event) => saveNumbers(capacity, event.currentTarget.value)}
            />
          </div>
        </div>
      )}
      <p id="bucket-problem" class="fail indent" role="alert" data-testid="bucket-problem">
        {problem ? t(`settingsProblem_${problem}`) : ''}
      </p>
    </fieldset>
  );
}
