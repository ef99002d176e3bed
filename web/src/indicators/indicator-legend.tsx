import type { IndicatorDef } from '@ioc/shared'
import { lang, t } from '../i18n/lang.ts'
import { localized } from '../i18n/translate.ts'
import type { ClassBreaks } from './class-breaks.ts'
import { formatIndicatorValue, formatPeriod } from './indicator-format.ts'

/** The map's classes with their bounds in the unit, which way is better, and the no-data hatching. */
export function IndicatorLegend({ def, period, breaks }: { def: IndicatorDef; period: string; breaks: ClassBreaks }) {
  const current = lang.value
  const format = (value: number) => formatIndicatorValue(value, def.unit, current)
  return (
    <div class="panel indicator-legend" data-testid="indicator-legend" data-classes={breaks.colours.length}>
      <h2>
        {t('indicators.legend')}: {localized(def.name, current)}, {formatPeriod(period, current)}
      </h2>
      <ul>
        {breaks.colours.map((colour, i) => (
          <li key={colour}>
            <span class="legend-swatch" style={{ background: colour }} aria-hidden="true" />
            {breaks.bounds[i] === breaks.bounds[i + 1] ? format(breaks.bounds[i]!) : `${format(breaks.bounds[i]!)} – ${format(breaks.bounds[i + 1]!)}`}
          </li>
        ))}
        <li>
          <span class="legend-swatch hatch" aria-hidden="true" />
          {t('indicators.noData')}
        </li>
      </ul>
      <p class="muted small-text">{t(def.better === 'neutral' ? 'indicators.legendNeutral' : 'indicators.legendBetter')}</p>
    </div>
  )
}
