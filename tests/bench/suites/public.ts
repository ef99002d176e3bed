import { rmSync } from 'node:fs'
import { startSteadyLoad } from '../lib/load.ts'
import { startServerProcess } from '../../helpers/processes.ts'
import type { Figure, Suite } from '../lib/report.ts'
import { latencyHistogram } from '../lib/stats.ts'
import { syntheticPack } from '../lib/synthetic-pack.ts'
import { readMetric } from '../../helpers/metrics.ts'

const STATIONS = 20
const VISITORS = 64
/** Readings per second published during the "flood night" window. */
const INGEST_RATE = 200

/**
 * A flood night: many phones refreshing the public page while the sensors report and an operator
 * works. Visitors are `VISITORS` concurrent request loops on GET /api/public/flood, each from an
 * address of its own (X-Forwarded-For, the server trusting the bench as its proxy — as behind nginx),
 * so the per-address limit does not turn the measure into one of 429s. Figures: public requests/s
 * while ingest runs (baseline: the same without ingest), the operator's GET /api/stations latency
 * during the visitor flood (baseline: without visitors), readings stored per second meanwhile.
 */
export const publicSuite: Suite = async ({ quick, log }) => {
  const windowMs = quick ? 2_000 : 8_000
  const pack = syntheticPack(STATIONS)
  const server = await startServerProcess({ city: pack.dir, env: { IOC_TRUST_PROXY: 'true' } })
  try {
    const visit = async (untilMs: number, id: number) => {
      let served = 0
      let refused = 0
      const histogram = latencyHistogram()
      while (performance.now() < untilMs) {
        const t0 = performance.now()
        const response = await fetch(`${server.baseUrl}/api/public/flood`, { headers: { 'x-forwarded-for': `10.${id >> 8}.${id & 255}.${(served + refused) & 255}` } })
        await response.arrayBuffer()
        histogram.recordMs(performance.now() - t0)
        if (response.status === 200) served++
        else refused++
      }
      return { served, refused, histogram }
    }
    const visitors = async (ms = windowMs) => {
      const until = performance.now() + ms
      const loops = await Promise.all(Array.from({ length: VISITORS }, (_, i) => visit(until, i)))
      return { perSecond: (loops.reduce((s, l) => s + l.served, 0) / ms) * 1000, refused: loops.reduce((s, l) => s + l.refused, 0) }
    }
    const operator = async (untilMs: number) => {
      const histogram = latencyHistogram()
      while (performance.now() < untilMs) {
        const t0 = performance.now()
        await (await fetch(`${server.baseUrl}/api/stations`)).arrayBuffer()
        histogram.recordMs(performance.now() - t0)
      }
      return histogram
    }
    const storedNow = () => readMetric(server.baseUrl, 'ioc_ingest_stored_total', { kind: 'flood' })

    // Warm-up (JIT, the first cache fill), not measured.
    await visitors(1_000)
    const calm = await visitors()
    log(`visitors alone: ${Math.round(calm.perSecond)} req/s (${calm.refused} refused)`)
    const operatorAlone = await operator(performance.now() + windowMs / 2)

    const load = await startSteadyLoad(server.mqttUrl, pack.dir, INGEST_RATE / STATIONS)
    try {
      const before = await storedNow()
      const t0 = performance.now()
      const [night, operatorDuring] = await Promise.all([visitors(), operator(performance.now() + windowMs)])
      const storedPerSecond = ((await storedNow()) - before) / ((performance.now() - t0) / 1000)
      log(`visitors during ingest: ${Math.round(night.perSecond)} req/s (${night.refused} refused); stored ${Math.round(storedPerSecond)} readings/s of ${INGEST_RATE} published`)
      const figures: Figure[] = [
        {
          name: `public · /api/public/flood, ${VISITORS} visitors, while ingest runs`,
          value: night.perSecond,
          unit: 'req/s',
          baseline: calm.perSecond,
          ratio: night.perSecond / calm.perSecond,
          note: `baseline: the same visitors without ingest; ${night.refused} answered 429`,
        },
        {
          name: 'public · operator GET /api/stations p99 during the visitor flood',
          value: operatorDuring.percentileMs(99),
          unit: 'ms',
          baseline: operatorAlone.percentileMs(99),
          ratio: operatorDuring.percentileMs(99) / operatorAlone.percentileMs(99),
          note: `p50 ${operatorDuring.percentileMs(50).toFixed(1)} ms (alone ${operatorAlone.percentileMs(50).toFixed(1)} ms); the visitors, the ingest load and the server share 2 cores`,
        },
        {
          name: 'public · readings stored during the visitor flood',
          value: storedPerSecond,
          unit: 'readings/s',
          baseline: INGEST_RATE,
          ratio: storedPerSecond / INGEST_RATE,
          target: '≈ 1× (nothing held back)',
        },
      ]
      return figures
    } finally {
      await load.stop()
    }
  } finally {
    await server.stop()
    rmSync(pack.dir, { recursive: true, force: true })
  }
}
