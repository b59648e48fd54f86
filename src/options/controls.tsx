// Labelled inputs shared by the options page's fieldsets; a hint is tied to its input for screen readers.
import type { ComponentChildren } from 'preact';

interface ChoiceProps {
  id: string;
  label: string;
  checked: boolean;
  hint?: string;
  /** 'note' for a warning-coloured hint. */
  hintClass?: 'muted' | 'note';
  /** Decoration before the label (a kind icon). */
  icon?: ComponentChildren;
}

export function Checkbox({ id, label, checked, hint, hintClass = 'muted', icon, onChange }: ChoiceProps & { onChange: (checked: boolean) => void }) {
  return (
    <>
      <div class="choice">
        <input
          type="checkbox"
          id={id}
          checked={checked}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        {icon}
        <label for={id}>{label}</label>
      </div>
      {hint && <Hint id={`${id}-hint`} text={hint} class={hintClass} />}
    </>
  );
}

export function Radio({ id, name, label, checked, hint, hintClass = 'muted', onSelect }: ChoiceProps & { name: string; onSelect: () => void }) {
  return (
    <>
      <div class="choice">
        <input
          type="radio"
          id={id}
          name={name}
          checked={checked}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(event) => event.currentTarget.checked && onSelect()}
        />
        <label for={id}>{label}</label>
      </div>
      {hint && <Hint id={`${id}-hint`} text={hint} class={hintClass} />}
    </>
  );
}

function Hint({ id, text, class: className }: { id: string; text: string; class: string }) {
  return (
    <p id={id} class={className === 'note' ? 'note' : 'muted indent'}>
      {text}
    </p>
  );
}
