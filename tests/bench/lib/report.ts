/** One figure of a benchmark, printed with its same-run baseline and the ratio between them. */
export interface Figure {
  /** What was measured, e.g. "ingest · embedded broker · SQLite". */
  name: string
  value: number
  unit: string
  /** The same-run baseline (e.g. a bare MQTT subscriber on the same broker), when there is one. */
  baseline?: number
  /** value / baseline: 0.8× of a throughput baseline, or 3× a latency baseline. */
  ratio?: number
  /** The goal from the issue, as text (not an assertion). */
  target?: string
  /** How the figure was obtained, or what limits it. */
  note?: string
}

export interface SuiteResult {
  suite: string
  figures: Figure[]
  /** Seconds the suite took. */
  seconds: number
}

export interface BenchOptions {
  /** Smoke run: smallest sizes, one round; proves the bench works (CI), not what it measures. */
  quick: boolean
  log: (line: string) => void
}

export type Suite = (options: BenchOptions) => Promise<Figure[]>

const fmt = (n: number | undefined) =>
  n === undefined ? '' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2)

/** A plain-text table for the terminal. */
export function formatTable(results: SuiteResult[]): string {
  const rows = [['figure', 'value', 'unit', 'baseline', 'ratio', 'target']]
  for (const result of results) {
    for (const f of result.figures) {
      rows.push([f.name, fmt(f.value), f.unit, fmt(f.baseline), f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`, f.target ?? ''])
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => r.map((cell, i) => (i === 0 || i === 2 || i === 5 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')
  return [line(rows[0]!), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}

/** The same table in Markdown, for docs/benchmarks.md. */
export function formatMarkdown(results: SuiteResult[]): string {
  const out = ['| figure | value | unit | baseline | ratio | target | note |', '| --- | ---: | --- | ---: | ---: | --- | --- |']
  for (const result of results) {
    for (const f of result.figures) {
      out.push(`| ${f.name} | ${fmt(f.value)} | ${f.unit} | ${fmt(f.baseline)} | ${f.ratio === undefined ? '' : `${f.ratio.toFixed(2)}×`} | ${f.target ?? ''} | ${f.note ?? ''} |`)
    }
  }
  return out.join('\n')
}
