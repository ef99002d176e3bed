import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CityPackError } from './index.ts'
import { loadIndicatorSeed, resolveCityPack } from './load-from-dir.ts'

const tamKyDir = fileURLToPath(new URL('./tam-ky', import.meta.url))

describe('resolveCityPack', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ioc-pack-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('loads a pack by id', () => {
    expect(resolveCityPack('tam-ky').city.id).toBe('tam-ky')
  })

  it("loads a city's own pack from a folder, relative to the working directory", () => {
    cpSync(tamKyDir, join(dir, 'my-city'), { recursive: true })
    const pack = resolveCityPack('my-city', dir)
    expect(pack.stations.map((s) => s.id)).toContain('cau-xuan-quy')
    expect(pack.areas.features).toHaveLength(13)
  })

  it('names the file that is not valid JSON', () => {
    cpSync(tamKyDir, dir, { recursive: true })
    writeFileSync(join(dir, 'stations.json'), '[{"id": ')
    expect(() => resolveCityPack(dir)).toThrow(/stations\.json: /)
  })

  it('validates a folder pack like a built-in one', () => {
    cpSync(tamKyDir, dir, { recursive: true })
    writeFileSync(join(dir, 'cameras.json'), JSON.stringify([{ id: 'cam-x', name: { vi: 'X', en: 'X' }, road: 'R', areaCode: '99999', lon: 108.48, lat: 15.56, approximateLocation: true, source: 's' }]))
    expect(() => resolveCityPack(dir)).toThrow(/cam-x: area 99999 is not in the pack/)
  })

  it('refuses a name that is neither a pack nor a pack folder', () => {
    expect(() => resolveCityPack('atlantis', dir)).toThrow(CityPackError)
  })

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('takes "%s" for no pack of this build, but a folder name like any other', (name) => {
    expect(() => resolveCityPack(name, dir)).toThrow(/neither a known pack \(tam-ky\) nor a folder/)
    expect(loadIndicatorSeed(name, dir)).toBeNull()
  })
})
