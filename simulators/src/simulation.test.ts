import { loadCityPack } from '@ioc/shared/city-packs'
import { describe, expect, it } from 'vitest'
import { resolveOptions } from './simulation.ts'

describe('simulation options', () => {
  const pack = loadCityPack('tam-ky')

  it("takes a client id the embedded broker lets the URL's credential use", () => {
    expect(resolveOptions({ url: 'mqtt://lora-gw-1:secret@127.0.0.1:1883', scenario: 'storm', pack }).clientId).toMatch(/^lora-gw-1\.ioc-sim-storm-[0-9a-f]{8}$/)
    expect(resolveOptions({ url: 'mqtt://127.0.0.1:1883', scenario: 'calm', pack }).clientId).toMatch(/^ioc-sim-calm-[0-9a-f]{8}$/)
    expect(resolveOptions({ url: 'mqtt://lora-gw-1:secret@127.0.0.1:1883', scenario: 'storm', pack, clientId: 'mine' }).clientId).toBe('mine')
  })
})
