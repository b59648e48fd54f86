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

  const numbers: BucketNumberProps[] = [
    { id: 'bucket-capacity', label: t('optionsBucketCapacity'), limits: CUSTOM_BUCKET_LIMITS.capacity, step: 1, value: capacity, invalid: problem === 'bucket_capacity', onInput: setCapacity, onSave: (value) => saveNumbers(value, drain) },
    { id: 'bucket-drain', label: t('optionsBucketDrain'), limits: CUSTOM_BUCKET_LIMITS.drainPerSec, step: 0.1, value: drain, invalid: problem === 'bucket_drain', onInput: setDrain, onSave: (value) => saveNumbers(capacity, value) },
  ];

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
          {numbers.map((field) => (
            <BucketNumber key={field.id} {...field} />
          ))}
        </div>
      )}
      <p id="bucket-problem" class="fail indent" role="alert" data-testid="bucket-problem">
        {problem ? t(`settingsProblem_${problem}`) : ''}
      </p>
    </fieldset>
  );
}

interface BucketNumberProps {
  id: string;
  label: string;
  limits: { min: number; max: number };
  step: number;
  value: string;
  invalid: boolean;
  onInput(value: string): void;
  onSave(value: string): void;
}

/** One custom bucket number; the problem text below the fieldset describes it while it is invalid. */
function BucketNumber({ id, label, limits, step, value, invalid, onInput, onSave }: BucketNumberProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode={Number.isInteger(step) ? 'numeric' : 'decimal'}
        min={limits.min}
        max={limits.max}
        step={step}
        value={value}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? 'bucket-problem' : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
        onChange={(event) => onSave(event.currentTarget.value)}
      />
    </div>
  );
}
