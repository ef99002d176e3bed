import { useEffect, useRef } from 'preact/hooks'
import type { IndicatorDef, IndicatorValue } from '@ioc/shared'
import { formatDateTime } from '../i18n/format.ts'
import { lang, t } from '../i18n/lang.ts'
import { formatIndicatorValue, formatPeriod } from './indicator-format.ts'
import { IndicatorForm } from './indicator-form.tsx'
import type { IndicatorRow } from './indicator-rows.ts'
import { TrendSection } from './trend-section.tsx'
import { ValueHistory } from './value-history.tsx'

interface AreaPanelProps {
  def: IndicatorDef
  period: string
  row: IndicatorRow
  canEdit: boolean
  currentPeriod: string
  timeZone: string
  /** A value of this indicator changed somewhere: the city figure is fetched again. */
  revision: string
  onValue: (value: IndicatorValue) => void
  onClose: () => void
}

/** One area: its value, its trend against the city, the edit form for those who may, and the value's history. */
export function AreaPanel({ def, period, row, canEdit, currentPeriod, timeZone, revision, onValue, onClose }: AreaPanelProps) {
  const current = lang.value
  const heading = useRef<HTMLHeadingElement>(null)
  const value = row.value
  // Another area chosen in the table or on the map: bring the panel into view. Not when the page
  // opens on one (an area staff member's own), which would scroll the map away.
  const shownArea = useRef(row.areaId)
  useEffect(() => {
    if (shownArea.current === row.areaId) return
    shownArea.current = row.areaId
    heading.current?.scrollIntoView({ block: 'nearest' })
  }, [row.areaId])
  return (
    <section class="panel area-panel" data-testid="area-panel" data-area-id={row.areaId} data-editable={String(canEdit)} aria-labelledby="area-panel-title">
      <div class="detail-head">
        <h2 id="area-panel-title" ref={heading} tabIndex={-1}>
          {row.name}
        </h2>
        <button type="button" class="close" aria-label={t('common.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <p class="area-value">
        <strong data-testid="area-value">{value ? formatIndicatorValue(value.value, def.unit, current) : t('indicators.noData')}</strong>{' '}
        <span class="muted">{formatPeriod(period, current)}</span>
        {value?.demo && <span class="tag">{t('indicators.demoTag')}</span>}
      </p>
      {value && <p class="muted small-text">{t('indicators.updated', { by: value.updatedBy, time: formatDateTime(value.updatedAt, current, timeZone) })}</p>}
      <div class="area-panel-grid">
        <TrendSection def={def} period={period} areaName={row.name} area={row.trend} revision={revision} />
        <div class="area-panel-side">
          {canEdit ? (
            <IndicatorForm key={`${row.areaId}|${def.key}|${period}`} def={def} areaId={row.areaId} period={period} value={value} currentPeriod={currentPeriod} timeZone={timeZone} onValue={onValue} />
          ) : (
            <p class="muted" data-testid="indicator-read-only">
              {t('indicators.form.readOnly')}
            </p>
          )}
          <ValueHistory def={def} areaId={row.areaId} period={period} version={value?.version ?? 0} timeZone={timeZone} />
        </div>
      </div>
    </section>
  )
}
