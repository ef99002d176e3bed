import { AlarmType, type PublicFloodResponse } from '@ioc/shared'
import { sortAlarms, type LivePoint, type PublicAlarm } from './flood-state.ts'
import { formatCm, formatRate } from '../i18n/format.ts'
import { pt, publicLang } from './citizens-lang.ts'

type Advice = NonNullable<PublicFloodResponse['advice']>

/**
 * The open flood warnings, grouped by level (highest first), each with the city's words for what the
 * level means and what to do; then the points rising fast. A polite live region: a new warning is read
 * out without taking the reader away from where they are.
 */
export function Warnings({ alarms, points, advice }: { alarms: PublicAlarm[]; points: LivePoint[]; advice: Advice | null }) {
  const lang = publicLang.value
  const byId = new Map(points.map((p) => [p.id, p]))
  const nameOf = (alarm: PublicAlarm) => byId.get(alarm.source.id)?.name[lang] ?? alarm.source.id
  const sorted = sortAlarms(alarms)
  const levels = [3, 2, 1].map((level) => ({ level, alarms: sorted.filter((a) => a.type === AlarmType.floodLevel && a.level === level) })).filter((g) => g.alarms.length > 0)
  const rising = sorted.filter((a) => a.type === AlarmType.rapidRise)
  const alarmed = points.filter((p) => p.latest !== null && p.floodLevel > 0).length

  return (
    <section class="warnings" aria-labelledby="warnings-title">
      <h2 id="warnings-title">{pt('warnings.title')}</h2>
      <div aria-live="polite" data-testid="warnings">
        <p class="summary">{alarmed === 0 ? pt('summary.none') : pt('summary.some', { count: alarmed })}</p>
        {levels.map(({ level, alarms: group }) => {
          const words = advice?.[String(level) as '1' | '2' | '3']
          return (
            <div key={level} class={`warning lvl-${level}`} data-level={level}>
              <h3 class={`level-badge lvl-${level}`}>{pt(`level.${level as 1 | 2 | 3}`)}</h3>
              <ul class="warning-points">
                {group.map((alarm) => (
                  <li key={alarm.id}>
                    <a href={`#diem-${alarm.source.id}`}>{nameOf(alarm)}</a>
                    {alarm.value !== null && <span>: {formatCm(alarm.value, lang)}</span>}
                  </li>
                ))}
              </ul>
              {words && (
                <dl class="advice">
                  <dt>{pt('warnings.meaning')}</dt>
                  <dd>{words.meaning[lang]}</dd>
                  <dt>{pt('warnings.action')}</dt>
                  <dd>{words.action[lang]}</dd>
                </dl>
              )}
            </div>
          )
        })}
        {rising.length > 0 && (
          <ul class="warning rising">
            {rising.map((alarm) => (
              <li key={alarm.id}>
                <a href={`#diem-${alarm.source.id}`}>{nameOf(alarm)}</a>: {pt('warnings.rapidRise', { rate: alarm.value === null ? '?' : formatRate(alarm.value, lang) })}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}
