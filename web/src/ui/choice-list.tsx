import { t } from '../i18n/lang.ts'

export interface Choice {
  value: string
  label: string
  /** A line under the label, tied to the checkbox. */
  hint?: string
}

interface ChoiceListProps {
  id: string
  legend: string
  choices: readonly Choice[]
  selected: readonly string[]
  onChange: (selected: string[]) => void
  hint?: string
  error?: string | null
  /** Many choices (wards, stations): in columns, in a box that scrolls. */
  compact?: boolean
}

/**
 * Checkboxes for choosing several of a list, in a fieldset whose legend names the question. The hint
 * and the error are tied to the group, and the first box is marked invalid, so that focus lands there
 * after a refused submit (`useFocusFirstError`).
 */
export function ChoiceList({ id, legend, choices, selected, onChange, hint, error, compact = false }: ChoiceListProps) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined
  const toggle = (value: string, on: boolean) => onChange(on ? [...selected, value] : selected.filter((v) => v !== value))
  return (
    <fieldset class={`choice-list${error ? ' invalid' : ''}`} aria-describedby={described} data-testid={id}>
      <legend>{legend}</legend>
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <ul class={compact ? 'choices compact' : 'choices'}>
        {choices.map((choice, i) => (
          <li key={choice.value}>
            <input
              type="checkbox"
              id={`${id}-${i}`}
              value={choice.value}
              checked={selected.includes(choice.value)}
              aria-invalid={error && i === 0 ? 'true' : undefined}
              aria-describedby={choice.hint ? `${id}-${i}-hint` : described}
              onChange={(e) => toggle(choice.value, e.currentTarget.checked)}
            />
            <label for={`${id}-${i}`}>
              {choice.label}
              {choice.hint && (
                <span class="choice-hint" id={`${id}-${i}-hint`}>
                  {choice.hint}
                </span>
              )}
            </label>
          </li>
        ))}
      </ul>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  )
}

interface ScopePickerProps extends Omit<ChoiceListProps, 'legend' | 'compact'> {
  legend: string
  /** "Everywhere" and "only these" in words. */
  allLabel: string
  someLabel: string
  mode: 'all' | 'some'
  onMode: (mode: 'all' | 'some') => void
}

/** Everywhere, or only some (wards, stations): two radios, then the checkboxes of the second. */
export function ScopePicker({ id, legend, allLabel, someLabel, mode, onMode, choices, selected, onChange, hint, error }: ScopePickerProps) {
  return (
    <fieldset class="scope-picker" data-testid={id}>
      <legend>{legend}</legend>
      {hint && <p class="field-hint">{hint}</p>}
      <div class="radio-row">
        {(['all', 'some'] as const).map((value) => (
          <label key={value} class="radio">
            <input type="radio" name={`${id}-mode`} value={value} checked={mode === value} onChange={() => onMode(value)} />
            {value === 'all' ? allLabel : someLabel}
          </label>
        ))}
      </div>
      {mode === 'some' &&
        (choices.length === 0 ? (
          <p class="muted">{t('common.noChoices')}</p>
        ) : (
          <ChoiceList id={`${id}-list`} legend={someLabel} choices={choices} selected={selected} onChange={onChange} error={error ?? null} compact />
        ))}
    </fieldset>
  )
}
