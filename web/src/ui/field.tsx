import type { ComponentChildren, RefObject } from 'preact'
import { useEffect } from 'preact/hooks'

interface FieldProps {
  id: string
  label: string
  /** Shown under the field and announced with it; null when the value is fine. */
  error?: string | null
  hint?: string
  /** The control: given the ids and states it must carry to be tied to its label, hint and error. */
  children: (control: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: 'true' }) => ComponentChildren
}

/** A labelled form control with its hint and its error tied to it (`aria-describedby`), for screen readers. */
export function Field({ id, label, error, hint, children }: FieldProps) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ')
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, 'aria-describedby': described || undefined, 'aria-invalid': error ? 'true' : undefined })}
      {hint && (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  )
}

/**
 * After a refused submit, moves focus to the first control marked invalid in `form` (or, when the
 * refusal is about no one field, to the form's error message), so keyboard and screen-reader users
 * land on what needs fixing. `attempt` changes on every refused submit.
 */
export function useFocusFirstError(form: RefObject<HTMLFormElement>, attempt: number): void {
  useEffect(() => {
    if (attempt === 0) return
    const target = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.current?.querySelector<HTMLElement>('.form-error')
    target?.focus()
  }, [attempt])
}
