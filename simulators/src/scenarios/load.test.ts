import { floodReadingTopic } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { describe, expect, it } from 'vitest'
import { decodeAsServer } from '../test-support.ts'
import { loadScenario } from './load.ts'

const pack = loadCityPack('tam-ky')
const STARTED_AT = Date.UTC(2025, 9, 30, 1, 0, 0)

function burst(count: number, seed = 1) {
  const scenario = loadScenario(seed, pack, count)
  return Array.from({ length: scenario.total }, (_, index) => scenario.message(index, STARTED_AT))
}

describe('load', () => {
  it('stamps every station’s readings with distinct times, none after the burst began', () => {
    for (const count of [10_000, 13, 1]) {
      const messages = burst(count)
      expect(messages).toHaveLength(count)
      const seen = new Set<string>()
      for (const { stationId, payload } of messages) {
        expect(typeof payload.ts).toBe('number')
        expect(payload.ts as number).toBeLessThan(STARTED_AT)
        const key = `${stationId}@${payload.ts}`
        expect(seen.has(key), key).toBe(false)
        seen.add(key)
      }
    }
  })

  it('goes round-robin over the stations with one seq per message', () => {
    const messages = burst(100)
    expect(messages.map((m) => m.payload.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    messages.forEach((message, index) => expect(message.stationId).toBe(pack.stations[index % pack.stations.length]!.id))
  })

  it('produces only payloads the server accepts', () => {
    for (const { stationId, payload } of burst(2_000)) {
      expect(decodeAsServer(pack, floodReadingTopic(stationId), payload, STARTED_AT)).toMatchObject({ ok: true })
    }
  })

  it('gives the same values for the same seed and different values for another', () => {
    expect(burst(500, 9)).toEqual(burst(500, 9))
    expect(burst(500, 9)).not.toEqual(burst(500, 10))
  })
})
