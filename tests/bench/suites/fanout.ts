import type { ChildProcess } from 'node:child_process'
import { rssBytes, spawnTs, startServerProcess, stopProcess, waitForLine } from '../../helpers/processes.ts'
import type { Figure, Suite } from '../lib/report.ts'
import { median } from '../lib/stats.ts'

/**
 * Fan-out memory: the server's resident set (read from /proc, outside the process) and V8 heap in use
 * (its Prometheus gauge) with 0, 1,000 and 5,000 idle dashboards connected → bytes per client.
 * Each sample is the median of five, a second after the clients settle (three after 0.3 s in a quick
 * run); the heap is not forced through a GC, so small deltas are noise.
 */
export const fanoutSuite: Suite = async ({ quick, log }) => {
  const steps = quick ? [0, 200] : [0, 1_000, 5_000]
  const server = await startServerProcess()
  const crowds: ChildProcess[] = []
  const samples: { clients: number; rss: number; heap: number }[] = []
  try {
    let connected = 0
    for (const clients of steps) {
      if (clients > connected) {
        const crowd = spawnTs('tests/bench/lib/listeners.ts', { URL: server.baseUrl, COUNT: String(clients - connected) })
        crowds.push(crowd)
        await waitForLine(crowd, /^ready/, 90_000)
        connected = clients
      }
      await new Promise((resolve) => setTimeout(resolve, quick ? 300 : 1_000))
      const rss: number[] = []
      const heap: number[] = []
      for (let i = 0; i < (quick ? 3 : 5); i++) {
        rss.push(rssBytes(server.pid))
        heap.push(await heapUsed(server.baseUrl))
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      samples.push({ clients, rss: median(rss), heap: median(heap) })
      log(`${clients} clients: RSS ${(median(rss) / 2 ** 20).toFixed(1)} MiB, heap ${(median(heap) / 2 ** 20).toFixed(1)} MiB`)
    }
  } finally {
    for (const crowd of crowds) await stopProcess(crowd)
    await server.stop()
  }
  const idle = samples[0]!
  const figures: Figure[] = []
  for (const s of samples.slice(1)) {
    figures.push({ name: `fan-out · RSS with ${s.clients.toLocaleString('en-US')} idle clients`, value: s.rss / 2 ** 20, unit: 'MiB', baseline: idle.rss / 2 ** 20, ratio: s.rss / idle.rss })
    figures.push({ name: `fan-out · heap with ${s.clients.toLocaleString('en-US')} idle clients`, value: s.heap / 2 ** 20, unit: 'MiB', baseline: idle.heap / 2 ** 20, ratio: s.heap / idle.heap })
  }
  const most = samples.at(-1)!
  figures.push({
    name: 'fan-out · heap per idle client',
    value: (most.heap - idle.heap) / most.clients / 1024,
    unit: 'KiB',
    target: '≤ 15 KB',
    note: `(heap with ${most.clients} − heap with 0) / ${most.clients}`,
  })
  figures.push({ name: 'fan-out · RSS per idle client', value: (most.rss - idle.rss) / most.clients / 1024, unit: 'KiB', note: `(RSS with ${most.clients} − RSS with 0) / ${most.clients}` })
  return figures
}

async function heapUsed(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text()
  const line = /^ioc_nodejs_heap_size_used_bytes (\S+)$/m.exec(text)
  if (!line) throw new Error('the server no longer exposes ioc_nodejs_heap_size_used_bytes')
  return Number(line[1])
}
