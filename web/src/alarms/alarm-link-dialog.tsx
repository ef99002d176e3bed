import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { AlarmView } from '@ioc/shared'
import { ApiRequestError, type ApiFailure } from '../api.ts'
import { formatDateTime } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { leaveAlarmLink, type AlarmLinkRoute } from '../route.ts'
import type { Store } from '../store.ts'
import { failureText } from '../ui/load-error.tsx'
import { AckDialog } from './ack-dialog.tsx'
import { checkAlarmLink, fetchAlarm } from './alarm-api.ts'
import { alarmLoadProblem, judgeAlarmLink, linkMessages, type LinkStatus } from './alarm-link.ts'
import { alarmSourceName, alarmTypeKey, alarmValueText } from './alarm-text.ts'

interface AlarmLinkDialogProps {
  route: AlarmLinkRoute
  store: Store
  /** Whether this user's role may acknowledge (`alarm:ack`). */
  canAck: boolean
  timeZone: string
}

type Load = { status: 'loading' } | { status: 'ready'; link: LinkStatus; alarm: AlarmView } | { status: 'error'; failure: ApiFailure }

/**
 * A notification's link (`#/alarms/{id}/ack?exp&sig`), opened once the reader is logged in: the server
 * says whether the link is its own and fresh, and the alarm is shown on the map. Through a valid link,
 * an alarm still waiting opens straight in the acknowledge dialog for those who may acknowledge;
 * otherwise a dialog says why not (expired or unknown link, already acknowledged, cleared, not allowed).
 */
export function AlarmLinkDialog({ route, store, canAck, timeZone }: AlarmLinkDialogProps) {
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  /** Asked for from the notice (a link that did not open the dialog by itself). */
  const [acking, setAcking] = useState(false)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    const abort = new AbortController()
    setLoad({ status: 'loading' })
    setAcking(false)
    Promise.all([checkAlarmLink(route.alarmId, route.exp, route.sig, abort.signal), fetchAlarm(route.alarmId, abort.signal)]).then(
      ([link, { alarm }]) => {
        if (abort.signal.aborted) return
        setLoad({ status: 'ready', link, alarm })
        // Behind the dialog, the map shows where the alarm is, as a click in the alarm list would.
        store.select({ kind: alarm.source.kind, id: alarm.source.id })
      },
      (error: unknown) => {
        if (abort.signal.aborted) return
        if (!(error instanceof ApiRequestError)) throw error
        setLoad({ status: 'error', failure: error.failure })
      },
    )
    return () => abort.abort()
  }, [route.alarmId, route.exp, route.sig, attempt])

  const finish = () => {
    leaveAlarmLink(route)
    // Focus on the alarm in the list, where the dialog would have been opened from.
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-alarm-id="${route.alarmId}"] .alarm-select`)?.focus())
  }

  if (load.status === 'ready') {
    const verdict = judgeAlarmLink(load.link, load.alarm, canAck)
    const current = lang.value
    const title = `${t(alarmTypeKey(load.alarm))} · ${alarmSourceName(load.alarm, store.stations.value, store.cameras.value, current)}`
    if (verdict.openDialog || (acking && verdict.mayAck)) {
      return (
        <AckDialog
          alarm={load.alarm}
          title={title}
          onResult={(kind, alarm) => store.receiveAlarm(kind, alarm)}
          onClose={finish}
        />
      )
    }
    const value = alarmValueText(load.alarm, current)
    const acknowledged = load.alarm.acknowledged
    return (
      <LinkDialog onClose={finish} state="ready" link={load.link} alarmState={verdict.alarm}>
        <p id="alarm-link-alarm">
          <strong>{title}</strong>
          {value && <> · {value}</>}
          <br />
          <span class="muted">{t('alarmLink.raisedAt', { time: formatDateTime(load.alarm.raisedAt, current, timeZone) })}</span>
        </p>
        {linkMessages(verdict).map((key) => (
          <p key={key} class={key === 'alarmLink.expired' || key === 'alarmLink.invalid' ? 'form-error' : 'notice'} data-testid={`alarm-link-${key.slice('alarmLink.'.length)}`}>
            {t(key, {
              by: acknowledged?.by ?? '?',
              time: formatDateTime(acknowledged?.at ?? load.alarm.clearedAt ?? load.alarm.updatedAt, current, timeZone),
            })}
          </p>
        ))}
        {verdict.mayAck && <p class="muted">{t('alarmLink.mayStillAck')}</p>}
        <div class="form-actions">
          {verdict.mayAck && (
            <button type="button" class="primary" data-testid="alarm-link-ack" onClick={() => setAcking(true)}>
              {t('alarm.ack')}
            </button>
          )}
          <button type="button" class={verdict.mayAck ? 'secondary' : 'primary'} data-close>
            {t('alarmLink.showOnMap')}
          </button>
        </div>
      </LinkDialog>
    )
  }

  if (load.status === 'error') {
    const problem = alarmLoadProblem(load.failure)
    return (
      <LinkDialog onClose={finish} state="error">
        <p class="form-error" role="alert">
          {problem === 'missing'
            ? t('alarmLink.missing', { id: route.alarmId })
            : problem === 'forbidden'
              ? t('alarmLink.forbidden')
              : t('common.loadError', { reason: failureText(load.failure) })}
        </p>
        <div class="form-actions">
          {problem === 'failed' && (
            <button type="button" class="primary" onClick={() => setAttempt((n) => n + 1)}>
              {t('error.retry')}
            </button>
          )}
          <button type="button" class={problem === 'failed' ? 'secondary' : 'primary'} data-close>
            {t('common.close')}
          </button>
        </div>
      </LinkDialog>
    )
  }

  return (
    <LinkDialog onClose={finish} state="loading">
      <p class="muted" role="status">
        <span class="spinner" aria-hidden="true" />
        {t('alarmLink.loading', { id: route.alarmId })}
      </p>
    </LinkDialog>
  )
}

interface LinkDialogProps {
  state: 'loading' | 'ready' | 'error'
  link?: LinkStatus
  alarmState?: string
  onClose: () => void
  children: ComponentChildren
}

/** The modal the link's notice lives in: Escape or a button marked `data-close` closes it; focus goes to its first button. */
function LinkDialog({ state, link, alarmState, onClose, children }: LinkDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null)
  /** Replaced by another dialog (the acknowledge one): its closing then is no "close" of the link. */
  const replaced = useRef(false)
  useEffect(() => {
    const element = dialog.current
    if (!element) return
    if (!element.open) element.showModal()
    return () => {
      replaced.current = true
      if (element.open) element.close()
    }
  }, [])
  useEffect(() => {
    if (state !== 'loading') dialog.current?.querySelector<HTMLElement>('.form-actions button')?.focus()
  }, [state])
  return (
    <dialog
      ref={dialog}
      class="dialog alarm-link-dialog"
      aria-labelledby="alarm-link-title"
      aria-describedby={state === 'ready' ? 'alarm-link-alarm' : undefined}
      data-testid="alarm-link-dialog"
      data-state={state}
      data-link={link}
      data-alarm-state={alarmState}
      onClose={() => {
        if (!replaced.current) onClose()
      }}
      onClick={(event) => {
        if ((event.target as HTMLElement).closest('[data-close]')) dialog.current?.close()
      }}
      onKeyDown={(event) => {
        // Escape is for this dialog only, not also for the map's selection behind it.
        if (event.key === 'Escape') event.stopPropagation()
      }}
    >
      <h2 id="alarm-link-title">{t('alarmLink.title')}</h2>
      {children}
    </dialog>
  )
}
