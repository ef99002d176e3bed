import type { CityPack } from '@ioc/shared'
import { calmReading } from './calm.ts'
import type { BurstScenario } from './scenario.ts'

/** Readings a load run publishes when no count is given. */
export const DEFAULT_LOAD_COUNT = 10_000

/**
 * `count` calm readings, round-robin over the pack's stations, each with its own `seq`.
 *
 * The server stores a reading once per (station, ts), so timestamps must be unique per station: round
 * `r` of the stations is stamped `r` ms after the burst's first timestamp, and the last round is
 * stamped 1 ms before the burst began, so none is in the future. Timestamps are epoch ms (the
 * other scenarios send ISO-8601 strings), so a load run exercises the second form the contract allows.
 */
export function loadScenario(seed: number, pack: CityPack, count: number): BurstScenario {
  const { stations } = pack
  const rounds = Math.ceil(count / stations.length)
  return {
    total: count,
    message(index, startedAtMs) {
      const station = stations[index % stations.length]!
      const round = Math.floor(index / stations.length)
      return {
        stationId: station.id,
        payload: { ts: startedAtMs - rounds + round, ...calmReading(seed, station, round), seq: index },
      }
    },
  }
}
