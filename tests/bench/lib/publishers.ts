/**
 * The load of many sensors, each on its own MQTT connection as in the field: the pack's stations split
 * over CONNECTIONS simulations of the `load` scenario, run together in this one process. Prints
 * `done <published>` when every reading has been acknowledged.
 */
import { resolveCityPack } from '@ioc/shared/city-packs/node'
import { startSimulation } from '@ioc/simulators'

const pack = resolveCityPack(process.env.PACK!)
const connections = Math.min(Number(process.env.CONNECTIONS ?? 10), pack.stations.length)
const count = Number(process.env.COUNT)
const simulations = await Promise.all(
  Array.from({ length: connections }, (_, k) => {
    const stations = pack.stations.filter((_, i) => i % connections === k)
    const share = Math.floor(count / connections) + (k < count % connections ? 1 : 0)
    return startSimulation({ url: process.env.URL!, scenario: 'load', pack: { ...pack, stations }, count: share, maxInFlight: 200 })
  }),
)
await Promise.all(simulations.map((s) => s.done))
console.log(`done ${simulations.reduce((n, s) => n + s.published, 0)}`)
process.exit(0)
