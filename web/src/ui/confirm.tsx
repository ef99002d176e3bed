import { useEffect, useId, useRef } from 'preact/hooks'
import { t } from '../i18n/lang.ts'

interface ConfirmProps {
  question: string
  confirmLabel: string
  pending?: boolean
  onConfirm: () => void
  onCancel: () => void
}

/**
 * An inline "are you sure?" for actions that cannot be taken back quietly (disabling an account,
 * resetting a password): the question is read with the confirm button, which gets the focus.
 */
export function Confirm({ question, confirmLabel, pending = false, onConfirm, onCancel }: ConfirmProps) {
  const id = useId()
  const confirm = useRef<HTMLButtonElement>(null)
  useEffect(() => confirm.current?.focus(), [])
  return (
    <div class="confirm" role="group" aria-labelledby={id}>
      <p id={id}>{question}</p>
      <div class="form-actions">
        <button ref={confirm} type="button" class="danger" aria-describedby={id} disabled={pending} onClick={onConfirm}>
          {pending && <span class="spinner" aria-hidden="true" />}
          {confirmLabel}
        </button>
        <button type="button" class="secondary" disabled={pending} onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  )
}
