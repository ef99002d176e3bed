import { effect } from '@preact/signals'
import { useEffect, useState } from 'preact/hooks'
import type { AlarmView } from '@ioc/shared'
import { formatDateTime } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { formatRelative } from '../i18n/relative-time.ts'
import type { Store } from '../store.ts'
import { AckDialog } from './ack-dialog.tsx'
import { muted, playTopLevelCue, setMuted, unlockAudio } from './alarm-sound.ts'
import { alarmColourClass, alarmSourceName, alarmTypeKey, alarmValueText } from './alarm-text.ts'
import { isUnacknowledged, sortAlarms } from './open-alarms.ts'
import { ForecastNote } from '../station-detail/forecast-note.tsx'

interface AlarmPanelProps {
  store: Store
  /** Whether this user may acknowledge (the session's `alarm:ack` permission). */
  canAck: boolean
  timeZone: string
}

/** Plays the BĐ3 cue for each new one the store counts, and lets the first user gesture unlock audio. */
function useTopLevelCue(store: Store): void {
  useEffect(() => {
    const forget = () => {
      document.removeEventListener('pointerdown', unlock, true)
      document.removeEventListener('keydown', unlock, true)
    }
    const unlock = () => {
      unlockAudio()
      forget()
    }
    document.addEventListener('pointerdown', unlock, true)
    document.addEventListener('keydown', unlock, true)
    // Counts already reached when the panel appears (alarms of the first snapshot never count) ring nothing.
    let heard = store.topLevelCues.peek()
    const stop = effect(() => {
      const cues = store.topLevelCues.value
      if (cues > heard) playTopLevelCue()
      heard = cues
    })
    return () => {
      stop()
      forget()
    }
  }, [store])
}

function SoundToggle() {
  const on = !muted.value
  return (
    <button
      type="button"
      class="alarm-sound"
      aria-pressed={on}
      aria-label={t('alarms.sound')}
      title={`${t('alarms.sound')}: ${t(on ? 'alarms.sound.on' : 'alarms.sound.off')}`}
      data-testid="alarm-sound"
      onClick={() => setMuted(on)}
    >
      <span class="alarm-sound-icon" aria-hidden="true">
        ♪
      </span>
      <span class="alarm-sound-text" aria-hidden="true">
        {t('alarms.sound')}:
      </span>
      <strong aria-hidden="true">{t(on ? 'alarms.sound.on' : 'alarms.sound.off')}</strong>
    </button>
  )
}

interface ItemProps {
  alarm: AlarmView
  store: Store
  selected: boolean
  canAck: boolean
  timeZone: string
  onAck: (alarm: AlarmView) => void
}

function AlarmItem({ alarm, store, selected, canAck, timeZone, onAck }: ItemProps) {
  const current = lang.value
  const now = store.now.value
  const unacked = isUnacknowledged(alarm)
  const typeText = t(alarmTypeKey(alarm))
  const source = alarmSourceName(alarm, store.stations.value, store.cameras.value, current)
  const value = alarmValueText(alarm, current)
  const acked = alarm.acknowledged
  // Beside a flood alarm below BĐ3: when the water would reach the next level (the station's forecast).
  const forecast = alarm.type === 'flood_level' ? (store.stations.value.find((s) => s.id === alarm.source.id)?.forecast ?? null) : null
  return (
    <li
      class={unacked ? 'alarm unacked' : 'alarm'}
      data-alarm-id={alarm.id}
      data-alarm-type={alarm.type}
      data-source-id={alarm.source.id}
      data-level={alarm.level ?? undefined}
      data-state={unacked ? 'unacknowledged' : 'acknowledged'}
    >
      <button type="button" class="alarm-select" aria-current={selected ? 'true' : undefined} onClick={() => store.select({ kind: alarm.source.kind, id: alarm.source.id })}>
        <span class={`level-mark ${alarmColourClass(alarm, store.stations.value)}`} aria-hidden="true" />
        <span class="alarm-type">{typeText}</span>
        <span class="alarm-source">{source}</span>
        {value && <span class="alarm-value">{value}</span>}
        <time class="alarm-time" dateTime={alarm.raisedAt} title={formatDateTime(alarm.raisedAt, current, timeZone)}>
          {formatRelative(Date.parse(alarm.raisedAt), now, current)}
        </time>
      </button>
      <ForecastNote forecast={forecast} now={now} timeZone={timeZone} compact />
      <div class="alarm-foot">
        {unacked ? (
          <span class="alarm-status unacked-mark">
            <span aria-hidden="true">⚠</span> {t('alarm.unacknowledged')}
          </span>
        ) : (
          acked && (
            <span class="alarm-status acked-mark" data-testid="alarm-acked">
              <span aria-hidden="true">✓</span> {t('alarm.acknowledgedBy', { by: acked.by, time: formatRelative(Date.parse(acked.at), now, current) })}
              {acked.note && <span class="alarm-note">{t('alarm.note', { note: acked.note })}</span>}
            </span>
          )
        )}
        {canAck && unacked && (
          <button
            type="button"
            class="secondary alarm-ack"
            data-testid="alarm-ack"
            aria-label={t('alarm.ackLabel', { alarm: typeText, source })}
            onClick={() => onAck(alarm)}
          >
            {t('alarm.ack')}
          </button>
        )}
      </div>
    </li>
  )
}

/**
 * The open alarms, always in view: most urgent first, each with its type and level in words and in its
 * colour, where, the value, how long ago, and whether someone has acknowledged it (unacknowledged ones
 * pulse gently until then). A click shows the station or camera; operators acknowledge from here.
 * On a phone it folds into a one-line bar that opens the list.
 */
export function AlarmPanel({ store, canAck, timeZone }: AlarmPanelProps) {
  useTopLevelCue(store)
  const [expanded, setExpanded] = useState(false)
  const [acking, setAcking] = useState<AlarmView | null>(null)
  const alarms = sortAlarms(store.alarms.value)
  const unacked = alarms.filter(isUnacknowledged).length
  const top = alarms[0]
  const selection = store.selection.value
  const current = lang.value

  return (
    <section
      class="panel alarm-panel"
      data-testid="alarm-panel"
      data-count={alarms.length}
      data-unacknowledged={unacked}
      data-expanded={expanded}
      aria-labelledby="alarm-panel-title"
    >
      <div class="alarm-head">
        <h2 id="alarm-panel-title">
          {t('alarms.title')} <span class="alarm-count">{alarms.length}</span>
        </h2>
        {top ? (
          <button
            type="button"
            class="alarm-toggle"
            aria-expanded={expanded}
            aria-controls="alarm-list"
            aria-label={t('alarms.toggle')}
            onClick={() => setExpanded(!expanded)}
          >
            <span class={`level-mark ${alarmColourClass(top, store.stations.value)}`} aria-hidden="true" />
            <span class="alarm-toggle-text">
              <strong>{t(alarmTypeKey(top))}</strong> · {alarmSourceName(top, store.stations.value, store.cameras.value, current)}
              <span class="alarm-toggle-more">
                {alarms.length > 1 && ` · ${t('alarms.count', { count: alarms.length })}`}
                {unacked > 0 && ` · ${t('alarms.unackedCount', { count: unacked })}`}
              </span>
            </span>
            <span class="alarm-chevron" aria-hidden="true">
              {expanded ? '▴' : '▾'}
            </span>
          </button>
        ) : (
          // Nothing to open: the bar says so itself.
          <p class="alarm-toggle alarm-toggle-text">
            {t('alarms.empty')}
          </p>
        )}
        <SoundToggle />
      </div>
      <div class="alarm-body" id="alarm-list">
        {alarms.length === 0 ? (
          <p class="muted alarm-empty" data-testid="alarms-empty">
            {t('alarms.empty')}
          </p>
        ) : (
          <ul class="alarm-list">
            {alarms.map((alarm) => (
              <AlarmItem
                key={alarm.id}
                alarm={alarm}
                store={store}
                selected={selection?.kind === alarm.source.kind && selection.id === alarm.source.id}
                canAck={canAck}
                timeZone={timeZone}
                onAck={setAcking}
              />
            ))}
          </ul>
        )}
      </div>
      {acking && (
        <AckDialog
          alarm={acking}
          title={`${t(alarmTypeKey(acking))} · ${alarmSourceName(acking, store.stations.value, store.cameras.value, current)}`}
          onResult={(kind, alarm) => store.receiveAlarm(kind, alarm)}
          onClose={() => {
            const id = acking.id
            setAcking(null)
            // Focus back where it was: the item (its button is gone once acknowledged).
            requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-alarm-id="${id}"] .alarm-select`)?.focus())
          }}
        />
      )}
    </section>
  )
}
