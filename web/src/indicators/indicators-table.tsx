import type { IndicatorDef } from '@ioc/shared'
import { lang, t } from '../i18n/lang.ts'
import type { MessageKey } from '../i18n/messages.ts'
import { localized } from '../i18n/translate.ts'
import { formatIndicatorChange, formatIndicatorValue, formatPeriod } from './indicator-format.ts'
import type { Change, IndicatorRow, Sort, SortColumn } from './indicator-rows.ts'
import { sparklinePath } from './sparkline.ts'

const SPARK = { width: 80, height: 24 } as const

const COLUMN_LABEL: Record<SortColumn, MessageKey> = { area: 'indicators.col.area', value: 'indicators.col.value', change: 'indicators.col.change' }
const ARROW: Record<Change['direction'], string> = { up: '▲', down: '▼', same: '=' }
const JUDGEMENT: Partial<Record<Change['judgement'], MessageKey>> = { better: 'indicators.better', worse: 'indicators.worse', same: 'indicators.unchanged' }

function SortHeader({ column, sort, onSort }: { column: SortColumn; sort: Sort; onSort: (column: SortColumn) => void }) {
  const active = sort.column === column
  return (
    <th scope="col" aria-sort={active ? sort.direction : 'none'}>
      <button type="button" class="sort-button" data-testid={`sort-${column}`} onClick={() => onSort(column)}>
        {t(COLUMN_LABEL[column])}
        <span class="sort-mark" aria-hidden="true">
          {active ? (sort.direction === 'ascending' ? ' ↑' : ' ↓') : ' ↕'}
        </span>
      </button>
    </th>
  )
}

function ChangeCell({ change, def }: { change: Change | null; def: IndicatorDef }) {
  if (!change) return <span class="muted">–</span>
  const judgement = JUDGEMENT[change.judgement]
  return (
    <span class={`change change-${change.judgement}`} data-judgement={change.judgement}>
      <span aria-hidden="true">{ARROW[change.direction]} </span>
      {formatIndicatorChange(change.delta, def.unit, lang.value)}
      {judgement && <span class="change-word"> ({t(judgement)})</span>}
    </span>
  )
}

function Sparkline({ row, def }: { row: IndicatorRow; def: IndicatorDef }) {
  const path = sparklinePath(row.trend, SPARK.width, SPARK.height)
  if (!path) return <span class="muted">–</span>
  const values = row.trend.map((v) => (v === null ? '–' : formatIndicatorValue(v, def.unit, lang.value))).join(', ')
  return (
    <svg class="sparkline" width={SPARK.width} height={SPARK.height} viewBox={`0 0 ${SPARK.width} ${SPARK.height}`} role="img" aria-label={t('indicators.trendLabel', { area: row.name, values })}>
      <path d={path} />
    </svg>
  )
}

interface IndicatorsTableProps {
  rows: readonly IndicatorRow[]
  def: IndicatorDef
  period: string
  sort: Sort
  selected: string | null
  onSort: (column: SortColumn) => void
  onSelect: (areaId: string) => void
}

/**
 * Every area's value for the chosen indicator and period, its change on the previous period (arrow,
 * amount and "better"/"worse" in words, the colour only repeating them) and a 12-period sparkline.
 * Sortable by column; each area's name is a button that opens its trend, history and form.
 */
export function IndicatorsTable({ rows, def, period, sort, selected, onSort, onSelect }: IndicatorsTableProps) {
  const current = lang.value
  const col = { value: t('indicators.col.value'), change: t('indicators.col.change'), trend: t('indicators.col.trend') }
  return (
    <table class="data-table indicators-table stacking" data-testid="indicator-table" data-key={def.key} data-period={period}>
      <caption>{t('indicators.tableCaption', { indicator: localized(def.name, current), period: formatPeriod(period, current), count: rows.length })}</caption>
      <thead>
        <tr>
          <SortHeader column="area" sort={sort} onSort={onSort} />
          <SortHeader column="value" sort={sort} onSort={onSort} />
          <SortHeader column="change" sort={sort} onSort={onSort} />
          <th scope="col">{col.trend}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.areaId} data-area-id={row.areaId} aria-current={selected === row.areaId ? 'true' : undefined}>
            <th scope="row">
              <button type="button" class="link-button" aria-label={t('indicators.open', { area: row.name })} onClick={() => onSelect(row.areaId)}>
                {row.name}
              </button>
            </th>
            <td data-label={col.value} class="num" data-testid="indicator-value" data-value={row.value?.value ?? ''} data-version={row.value?.version ?? 0}>
              {row.value ? (
                formatIndicatorValue(row.value.value, def.unit, current)
              ) : (
                <span class="muted">{t('indicators.noData')}</span>
              )}
            </td>
            <td data-label={col.change}>
              <ChangeCell change={row.change} def={def} />
            </td>
            <td data-label={col.trend}>
              <Sparkline row={row} def={def} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
