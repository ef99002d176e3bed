/**
 * `pnpm bench [--quick] [--only ingest,latency,…]` — the pipeline measured against its physical limits,
 * in one bounded run on loopback. Prints a table, writes tests/bench/results/latest.json with the
 * machine's facts and the commit, and (full runs) records the figures in docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { REPO_ROOT } from '../helpers/processes.ts'
import { formatMarkdown, formatTable, type Suite, type SuiteResult } from './lib/report.ts'
import { alarmsSuite } from './suites/alarms.ts'
import { clusterSuite } from './suites/cluster.ts'
import { fanoutSuite } from './suites/fanout.ts'
import { forecastSuite } from './suites/forecast.ts'
import { historySuite } from './suites/history.ts'
import { ingestSuite } from './suites/ingest.ts'
import { latencySuite } from './suites/latency.ts'
import { publicSuite } from './suites/public.ts'
import { publicPhoneSuite } from './suites/public-phone.ts'
import { soakSuite } from './suites/soak.ts'
import { webSuite } from './suites/web.ts'

const SUITES: Record<string, Suite> = { ingest: ingestSuite, latency: latencySuite, fanout: fanoutSuite, history: historySuite, public: publicSuite, phone: publicPhoneSuite, web: webSuite, cluster: clusterSuite, soak: soakSuite, forecast: forecastSuite, alarms: alarmsSuite }

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
if (values.help) {
  console.log(`Usage: pnpm bench [--quick] [--only ${Object.keys(SUITES).join(',')}]
  --quick   smoke run (≤ 30 s): smallest sizes, one round — proves the bench works, not what it measures
  --only    run only these suites`)
  process.exit(0)
}
const chosen = values.only ? values.only.split(',') : Object.keys(SUITES)
const unknown = chosen.filter((name) => !(name in SUITES))
if (unknown.length > 0) {
  console.error(`pnpm bench: unknown suite ${unknown.join(', ')} (suites: ${Object.keys(SUITES).join(', ')})`)
  process.exit(2)
}

const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
  } catch {
    return 'unknown'
  }
}
const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` }
const started = new Date()
const log = (line: string) => console.log(`  ${line}`)
console.log(`Tam Kỳ IOC benchmarks${values.quick ? ' (quick)' : ''} — ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}, commit ${git('rev-parse', '--short', 'HEAD')}`)

const results: SuiteResult[] = []
let failed = false
for (const name of chosen) {
  console.log(`\n▸ ${name}`)
  const t0 = performance.now()
  try {
    const figures = await SUITES[name]!({ quick: values.quick, log })
    results.push({ suite: name, figures, seconds: Math.round((performance.now() - t0) / 100) / 10 })
  } catch (error) {
    failed = true
    console.error(`  ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
  }
}

console.log(`\n${formatTable(results)}\n`)
const totalSeconds = Math.round((Date.now() - started.getTime()) / 1000)
const report = { date: started.toISOString(), quick: values.quick, commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain') !== '', machine, totalSeconds, results }
mkdirSync(`${REPO_ROOT}tests/bench/results`, { recursive: true })
writeFileSync(`${REPO_ROOT}tests/bench/results/latest.json`, JSON.stringify(report, null, 2) + '\n')
console.log(`wrote tests/bench/results/latest.json (${totalSeconds} s)`)

if (!values.quick && !values.only && !failed) {
  const docs = `${REPO_ROOT}docs/benchmarks.md`
  const marker = '<!-- latest full run: written by pnpm bench -->'
  const previous = readFileSync(docs, 'utf8')
  const head = previous.includes(marker) ? previous.slice(0, previous.indexOf(marker)) : `${previous.trimEnd()}\n\n`
  const section = [
    marker,
    `## Latest full run — ${started.toISOString().slice(0, 10)}`,
    '',
    `Commit \`${report.commit.slice(0, 10)}\`${report.dirty ? ' (with uncommitted changes)' : ''}; ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}; ${totalSeconds} s in all.`,
    '',
    formatMarkdown(results),
    '',
  ].join('\n')
  writeFileSync(docs, head + section)
  console.log('recorded the figures in docs/benchmarks.md')
}
// Suites stop what they start; anything a failed suite left behind is killed by tests/helpers/processes on exit.
process.exit(failed ? 1 : 0)
