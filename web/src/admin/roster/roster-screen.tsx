import { Permission, zoneOffsetMs, type AreaCollection, type CurrentUser, type DutyShift } from '@ioc/shared'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiRequestError, type ApiFailure } from '../../api.ts'
import { hasPermission } from '../../auth/permissions.ts'
import { areaName as areaNameIn } from '../../city.ts'
import { lang, t } from '../../i18n/lang.ts'
import { LOCALE, type Lang } from '../../i18n/translate.ts'
import { Confirm } from '../../ui/confirm.tsx'
import { usersApi } from '../admin-api.ts'
import { adminFailureText } from '../admin-errors.ts'
import { areaOptions } from '../area-options.ts'
import { ListLoadFailed, ListLoading } from '../load-state.tsx'
import { rosterApi } from '../notifications/notifications-api.ts'
import type { AccountOption } from '../notifications/recipients-editor.tsx'
import { ShiftForm } from './shift-form.tsx'
import { addDays, dateOf, mondayOf, shiftsOfDay, timeOfDay, wallClockOf, weekDays, weekRange } from './week.ts'

type Load = { status: 'loading' } | { status: 'ready' } | { status: 'error'; failure: ApiFailure }
type Panel = { kind: 'add'; date: string } | { kind: 'remove'; shift: DutyShift } | null

interface RosterScreenProps {
  user: CurrentUser
  areas: AreaCollection | null
  timeZone: string
}

/** "Thứ Hai, 27/10" / "Monday 27/10": a calendar date as itself, whatever the zone. */
function dayLabel(date: string, lang: Lang): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return new Intl.DateTimeFormat(LOCALE[lang], { weekday: 'long', day: '2-digit', month: '2-digit', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, day))
}

/** "27/10/2025". */
const shortDate = (date: string) => date.split('-').reverse().join('/')

/** "GMT+7" for the zone now. */
function zoneName(timeZone: string): string {
  const hours = zoneOffsetMs(Date.now(), timeZone) / 3_600_000
  const whole = Math.trunc(hours)
  const minutes = Math.abs(Math.round((hours - whole) * 60))
  return `GMT${hours >= 0 ? '+' : '-'}${Math.abs(whole)}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`
}

/**
 * The duty roster, a week at a time (Monday to Sunday, city time): who is on duty when, and for which
 * areas. Notifications to "operators on duty" go to whoever is on it when they are sent. Operators
 * and admins add and remove shifts.
 */
export function RosterScreen({ user, areas, timeZone }: RosterScreenProps) {
  const [monday, setMonday] = useState(() => mondayOf(Date.now(), timeZone))
  const [shifts, setShifts] = useState<DutyShift[]>([])
  const [load, setLoad] = useState<Load>({ status: 'loading' })
  const [panel, setPanel] = useState<Panel>(null)
  const [notice, setNotice] = useState('')
  const [accounts, setAccounts] = useState<AccountOption[] | null>(null)
  const [removing, setRemoving] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const mayListUsers = hasPermission(user, Permission.userManage)

  /** The week last asked for: an answer about another (weeks paged through quickly) is dropped. */
  const asked = useRef(monday)
  const refresh = async (week = monday) => {
    asked.current = week
    setLoad({ status: 'loading' })
    try {
      const { from, to } = weekRange(week, timeZone)
      const list = await rosterApi.list(from, to)
      if (asked.current !== week) return
      setShifts(list)
      setLoad({ status: 'ready' })
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      if (asked.current === week) setLoad({ status: 'error', failure: error.failure })
    }
  }
  useEffect(() => void refresh(monday), [monday, timeZone])
  useEffect(() => {
    if (!mayListUsers) return
    usersApi.list().then(
      ({ users }) => {
        // Operators first (the roster is theirs), then admins, then anyone else; each by name.
        const rank = (role: string) => (role === 'operator' ? 0 : role === 'admin' ? 1 : 2)
        const enabled = users.filter((u) => !u.disabled).sort((a, b) => rank(a.role) - rank(b.role) || a.fullName.localeCompare(b.fullName, 'vi'))
        setAccounts(enabled.map((u) => ({ username: u.username, fullName: u.fullName })))
      },
      () => setAccounts(null),
    )
  }, [mayListUsers])
  useEffect(() => {
    if (panel?.kind === 'add') heading.current?.focus()
  }, [panel?.kind, panel?.kind === 'add' ? panel.date : null])

  const current = lang.value
  const days = weekDays(monday, timeZone)
  const today = dateOf(wallClockOf(Date.now(), timeZone))
  const zone = zoneName(timeZone)
  const areaChoices = areaOptions(areas, current).map((a) => ({ value: a.id, label: a.name }))
  const suggestions = [...new Map([...shifts.map((s) => [s.username, { username: s.username, fullName: s.fullName }] as const), [user.username, { username: user.username, fullName: user.fullName }] as const]).values()]

  const added = (startsAt: string, username: string) => {
    setPanel(null)
    const name = accounts?.find((a) => a.username === username)?.fullName ?? username
    setNotice(t('roster.done.added', { name }))
    // The new shift's week is shown (it may start in another week than the one on screen).
    const week = mondayOf(Date.parse(startsAt), timeZone)
    if (week === monday) void refresh(week)
    else setMonday(week)
  }

  const remove = async (shift: DutyShift) => {
    setRemoving(true)
    setRefusal(null)
    try {
      await rosterApi.remove(shift.id)
      setShifts((list) => list.filter((s) => s.id !== shift.id))
      setPanel(null)
      setNotice(t('roster.done.removed', { name: shift.fullName }))
      document.getElementById('admin-title')?.focus()
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setRefusal(adminFailureText(error.failure))
    } finally {
      setRemoving(false)
    }
  }

  const when = (shift: DutyShift) => `${timeOfDay(Date.parse(shift.startsAt), timeZone)} ${shortDate(dateOf(wallClockOf(Date.parse(shift.startsAt), timeZone)))}`
  const shiftAreas = (shift: DutyShift) => (shift.areaIds === null ? t('roster.wholeCity') : shift.areaIds.map((id) => areaNameIn(areas, id, current)).join(', '))

  return (
    <section class="admin-screen" aria-labelledby="admin-title" data-testid="roster-screen">
      <div class="admin-head">
        <h1 id="admin-title" tabIndex={-1}>
          {t('roster.title')}
        </h1>
        <div class="form-actions">
          <button
            type="button"
            class="primary"
            data-testid="shift-create"
            aria-expanded={panel?.kind === 'add'}
            onClick={() => {
              setNotice('')
              setPanel({ kind: 'add', date: days.some((d) => d.date === today) ? today : monday })
            }}
          >
            {t('roster.add')}
          </button>
        </div>
      </div>
      <p class="muted">{t('roster.intro', { zone })}</p>
      <p class="notice" role="status" data-testid="roster-notice" hidden={!notice}>
        {notice}
      </p>
      {refusal && (
        <p class="form-error" role="alert">
          {refusal}
        </p>
      )}
      {panel?.kind === 'add' && (
        <section class="panel admin-panel" aria-labelledby="shift-panel-title" data-testid="shift-panel">
          <div class="detail-head">
            <h2 id="shift-panel-title" ref={heading} tabIndex={-1}>
              {t('shiftForm.title')}
            </h2>
            <button type="button" class="close" aria-label={t('common.close')} onClick={() => setPanel(null)}>
              ×
            </button>
          </div>
          <ShiftForm
            key={panel.date}
            date={panel.date}
            timeZone={timeZone}
            zoneName={zone}
            accounts={accounts}
            suggestions={suggestions}
            areas={areaChoices}
            onAdded={added}
            onCancel={() => setPanel(null)}
          />
        </section>
      )}
      {panel?.kind === 'remove' && (
        <Confirm
          question={t('roster.confirmRemove', { name: panel.shift.fullName, when: when(panel.shift) })}
          confirmLabel={t('roster.remove')}
          pending={removing}
          onConfirm={() => void remove(panel.shift)}
          onCancel={() => setPanel(null)}
        />
      )}

      <nav class="week-nav" aria-label={t('roster.weeks')}>
        <button type="button" class="secondary" data-testid="week-previous" onClick={() => setMonday(addDays(monday, -7))}>
          <span aria-hidden="true">←</span>
          {t('roster.previous')}
        </button>
        <h2 class="week-label" aria-live="polite" data-testid="week-label" data-monday={monday}>
          {t('roster.week', { from: shortDate(monday).slice(0, 5), to: shortDate(addDays(monday, 6)) })}
        </h2>
        <button type="button" class="secondary" data-testid="week-next" onClick={() => setMonday(addDays(monday, 7))}>
          {t('roster.next')}
          <span aria-hidden="true">→</span>
        </button>
        {!days.some((d) => d.date === today) && (
          <button type="button" class="secondary" onClick={() => setMonday(mondayOf(Date.now(), timeZone))}>
            {t('roster.thisWeek')}
          </button>
        )}
      </nav>

      {load.status === 'loading' && <ListLoading text={t('roster.loading')} />}
      {load.status === 'error' && <ListLoadFailed failure={load.failure} onRetry={() => void refresh()} />}
      {load.status === 'ready' && (
        <ol class="week" data-testid="roster-week">
          {days.map((day) => {
            const items = shiftsOfDay(shifts, day)
            const label = dayLabel(day.date, current)
            return (
              <li key={day.date} class="day" data-date={day.date} aria-current={day.date === today ? 'date' : undefined} aria-labelledby={`day-${day.date}`}>
                <div class="day-head">
                  <h3 id={`day-${day.date}`}>
                    {label}
                    {day.date === today && <span class="badge badge-wait today-tag">{t('roster.today')}</span>}
                  </h3>
                </div>
                {items.length === 0 ? (
                  <p class="muted day-empty">{t('roster.noShift')}</p>
                ) : (
                  <ul class="shifts">
                    {items.map(({ shift, fromBefore, untilAfter }) => (
                      <li key={shift.id} class="shift" data-shift-id={shift.id} data-username={shift.username}>
                        <span class="shift-time">
                          {fromBefore ? t('roster.fromBefore') : timeOfDay(Date.parse(shift.startsAt), timeZone)}
                          {' – '}
                          {untilAfter ? t('roster.untilAfter', { time: timeOfDay(Date.parse(shift.endsAt), timeZone) }) : timeOfDay(Date.parse(shift.endsAt), timeZone)}
                        </span>
                        <span class="shift-who">{shift.fullName}</span>
                        <span class="shift-areas muted">{shiftAreas(shift)}</span>
                        <button
                          type="button"
                          class="secondary small"
                          aria-label={t('roster.removeOf', { name: shift.fullName, when: when(shift) })}
                          onClick={() => {
                            setNotice('')
                            setPanel({ kind: 'remove', shift })
                          }}
                        >
                          {t('roster.remove')}
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
                <button
                  type="button"
                  class="secondary small day-add"
                  aria-label={t('roster.addOn', { day: label })}
                  onClick={() => {
                    setNotice('')
                    setPanel({ kind: 'add', date: day.date })
                  }}
                >
                  {t('roster.addShort')}
                </button>
              </li>
            )
          })}
        </ol>
      )}
    </section>
  )
}
