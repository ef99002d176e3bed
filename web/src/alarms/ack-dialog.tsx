import { useEffect, useRef, useState } from 'preact/hooks'
import type { AlarmView } from '@ioc/shared'
import { ApiRequestError } from '../api.ts'
import { t } from '../i18n/lang.ts'
import { Field } from '../ui/field.tsx'
import { acknowledgeAlarm, fetchAlarm } from './alarm-api.ts'
import type { AlarmEventKind } from './open-alarms.ts'

/** The API's limit on a note (AckBody). */
export const ACK_NOTE_MAX = 500

interface AckDialogProps {
  alarm: AlarmView
  /** What is being acknowledged, in words: "Báo động III (BĐ3) · Trạm thủy văn Tam Kỳ". */
  title: string
  /** The alarm as the server now has it: the socket says the same, maybe later. */
  onResult: (kind: AlarmEventKind, alarm: AlarmView) => void
  onClose: () => void
}

type Outcome = { kind: 'error'; message: string } | { kind: 'conflict'; message: string } | null

function failureText(error: unknown): string {
  if (!(error instanceof ApiRequestError)) return String(error)
  const { failure } = error
  if (failure.kind === 'network') return t('error.network')
  if (failure.kind === 'http') return t('ack.failed', { message: failure.message })
  return t('error.parse', { path: failure.path })
}

/**
 * An operator acknowledges an alarm, with an optional note. A modal `<dialog>`; Escape or cancel
 * closes it. When someone else was quicker (409), it says who, and the panel shows their
 * acknowledgement at once rather than waiting for the socket.
 */
export function AckDialog({ alarm, title, onResult, onClose }: AckDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [note, setNote] = useState('')
  const [pending, setPending] = useState(false)
  const [outcome, setOutcome] = useState<Outcome>(null)

  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (!element.open) element.showModal()
    element.querySelector<HTMLElement>('textarea')?.focus()
    return () => {
      if (element.open) element.close()
    }
  }, [])

  const close = () => dialog.current?.close()

  const conflict = async () => {
    // Who was first, or whether it cleared meanwhile: asked again rather than read from the message.
    const { alarm: now } = await fetchAlarm(alarm.id)
    if (now.state === 'cleared') {
      onResult('cleared', now)
      return t('ack.cleared')
    }
    onResult('updated', now)
    return t('ack.already', { by: now.acknowledged?.by ?? '?' })
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    if (pending) return
    setPending(true)
    setOutcome(null)
    try {
      onResult('updated', await acknowledgeAlarm(alarm.id, note.trim()))
      close()
    } catch (error) {
      if (error instanceof ApiRequestError && error.failure.kind === 'http' && error.failure.status === 409) {
        try {
          setOutcome({ kind: 'conflict', message: await conflict() })
        } catch (refresh) {
          setOutcome({ kind: 'error', message: failureText(refresh) })
        }
      } else {
        setOutcome({ kind: 'error', message: failureText(error) })
      }
    } finally {
      setPending(false)
    }
  }

  return (
    <dialog
      ref={dialog}
      class="dialog ack-dialog"
      aria-labelledby="ack-title"
      aria-describedby="ack-alarm"
      data-testid="ack-dialog"
      onClose={onClose}
      onKeyDown={(event) => {
        // Escape is for this dialog only, not also for the map's selection behind it.
        if (event.key === 'Escape') event.stopPropagation()
      }}
    >
      <h2 id="ack-title">{t('ack.title')}</h2>
      <p id="ack-alarm">
        <strong>{title}</strong>
      </p>
      {outcome?.kind === 'conflict' ? (
        <>
          <p class="notice" role="status" data-testid="ack-conflict">
            {outcome.message}
          </p>
          <div class="form-actions">
            <button type="button" class="primary" onClick={close} ref={(button) => button?.focus()}>
              {t('common.close')}
            </button>
          </div>
        </>
      ) : (
        <form class="form" onSubmit={submit} aria-busy={pending}>
          <Field id="ack-note" label={t('ack.note')} hint={t('ack.noteHint', { max: ACK_NOTE_MAX, left: ACK_NOTE_MAX - note.length })}>
            {(control) => (
              <textarea
                {...control}
                rows={3}
                maxLength={ACK_NOTE_MAX}
                value={note}
                disabled={pending}
                onInput={(e) => setNote(e.currentTarget.value)}
              />
            )}
          </Field>
          {outcome?.kind === 'error' && (
            <p class="form-error" role="alert">
              {outcome.message}
            </p>
          )}
          <div class="form-actions">
            <button type="submit" class="primary" disabled={pending} data-testid="ack-submit">
              {pending && <span class="spinner" aria-hidden="true" />}
              {t('ack.submit')}
            </button>
            <button type="button" class="secondary" disabled={pending} onClick={close}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </dialog>
  )
}
