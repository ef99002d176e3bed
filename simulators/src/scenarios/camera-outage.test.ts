import { cameraStatusTopic, floodReadingTopic, type CameraDef } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { describe, expect, it } from 'vitest'
import { parseCli } from '../cli-args.ts'
import { cameraPayload, floodPayload } from '../payloads.ts'
import { decodeAsServer } from '../test-support.ts'
import { calmReading } from './calm.ts'
import { ALL_RECOVERED_FROM, CAMERA_OUTAGE_TICKS, FLAPPING, POWER_CUT, TAMPER, castCameraOutage, cameraOutageScenario } from './camera-outage.ts'
import type { CameraValues } from './scenario.ts'

const pack = loadCityPack('tam-ky')
const camera = (id: string): CameraDef => pack.cameras.find((c) => c.id === id)!
const NOW = Date.UTC(2025, 9, 30, 1, 0, 0)
const SECONDS_PER_TICK = 1 / (parseCli(['camera-outage'], {}) as { rate: number }).rate
const EVERY = cameraOutageScenario(1, pack, false).cameraEveryTicks

/** The ticks a camera reports at in `[from, until)`. */
const reportTicks = (from: number, until: number) => Array.from({ length: until - from }, (_, i) => from + i).filter((tick) => tick % EVERY === 0)

/** What `id` reports over one run, report by report. */
function reports(id: string, seed = 1, loop = false, from = 0): Array<{ tick: number } & CameraValues> {
  const scenario = cameraOutageScenario(seed, pack, loop)
  return reportTicks(from, from + CAMERA_OUTAGE_TICKS).map((tick) => ({ tick, ...scenario.camera(camera(id), tick) }))
}

const statesOf = (list: ReturnType<typeof reports>, from: number, until: number) => list.filter((r) => r.tick >= from && r.tick < until).map((r) => r.state)

describe('camera-outage', () => {
  it('casts the pack’s first four cameras', () => {
    const cast = castCameraOutage(pack)
    expect(cast.powerCut.map((c) => c.id)).toEqual(['cam-phan-chu-trinh-hung-vuong', 'cam-hung-vuong-tran-hung-dao'])
    expect(cast.tamper?.id).toBe('cam-cau-tam-ky')
    expect(cast.flapping?.id).toBe('cam-nguyen-hoang-hoa-huong')
  })

  it('takes two cameras offline, brings them back degraded at low fps and bitrate, then online', () => {
    for (const [id, { degradedFrom, onlineFrom }] of [
      ['cam-phan-chu-trinh-hung-vuong', POWER_CUT.first],
      ['cam-hung-vuong-tran-hung-dao', POWER_CUT.second],
    ] as const) {
      const list = reports(id)
      expect(statesOf(list, 0, POWER_CUT.from).every((state) => state === 'online'), id).toBe(true)
      expect(statesOf(list, POWER_CUT.from, degradedFrom).every((state) => state === 'offline'), id).toBe(true)
      expect(statesOf(list, degradedFrom, onlineFrom).every((state) => state === 'degraded'), id).toBe(true)
      expect(statesOf(list, onlineFrom, CAMERA_OUTAGE_TICKS).every((state) => state === 'online'), id).toBe(true)
      // The last frame stays at the moment the power went.
      const offline = list.filter((r) => r.state === 'offline')
      expect(offline.map((r) => r.tick - r.lastFrameAgeTicks!)).toEqual(offline.map(() => POWER_CUT.from))
      for (const r of list.filter((r) => r.state === 'degraded')) {
        expect(r.fps).toBeLessThan(16)
        expect(r.bitrateKbps).toBeLessThan(1300)
      }
    }
  })

  it('reports one camera tampered for the stated stretch, its stream still up, and not tampered again after', () => {
    const list = reports('cam-cau-tam-ky')
    expect(list.every((r) => r.state === 'online')).toBe(true)
    expect(list.filter((r) => r.tamper).map((r) => r.tick)).toEqual(reportTicks(TAMPER.from, TAMPER.until))
    expect(list.filter((r) => r.tamper === false)).toHaveLength(list.length - reportTicks(TAMPER.from, TAMPER.until).length)
  })

  it('flaps one camera between offline and online, report by report, several times', () => {
    const list = reports('cam-nguyen-hoang-hoa-huong')
    const flapping = statesOf(list, FLAPPING.from, FLAPPING.until)
    expect(flapping).toEqual(flapping.map((_, i) => (i % 2 === 0 ? 'offline' : 'online')))
    expect(flapping.filter((state) => state === 'offline').length).toBeGreaterThanOrEqual(5)
    expect(list.filter((r) => r.tick < FLAPPING.from || r.tick >= FLAPPING.until).every((r) => r.state === 'online')).toBe(true)
    // Each offline report's last frame is the online report before it.
    for (const r of list.filter((r) => r.state === 'offline')) expect(r.lastFrameAgeTicks).toBe(EVERY)
  })

  it('ends with every camera online and untampered, for longer than an alarm’s 5 min clear hold at the default rate', () => {
    const scenario = cameraOutageScenario(1, pack, false)
    for (const c of pack.cameras) {
      for (const tick of reportTicks(ALL_RECOVERED_FROM, CAMERA_OUTAGE_TICKS + 100)) {
        const status = scenario.camera(c, tick)
        expect(status.state, `${c.id} at ${tick}`).toBe('online')
        expect(status.tamper ?? false).toBe(false)
      }
    }
    expect((CAMERA_OUTAGE_TICKS - ALL_RECOVERED_FROM) * SECONDS_PER_TICK).toBeGreaterThan(5 * 60)
    // The cameras outside the cast stay online all the way through.
    for (const c of pack.cameras.slice(4)) expect(reports(c.id).every((r) => r.state === 'online' && r.tamper === undefined)).toBe(true)
  })

  it('says in its phase line what is happening', () => {
    const { phase } = cameraOutageScenario(1, pack, false)
    expect(phase(0)).toBe('camera-outage 0/720: every camera online')
    expect(phase(60)).toBe('camera-outage 60/720: cam-phan-chu-trinh-hung-vuong offline (power cut); cam-hung-vuong-tran-hung-dao offline (power cut)')
    expect(phase(200)).toBe('camera-outage 200/720: cam-phan-chu-trinh-hung-vuong back, degraded; cam-hung-vuong-tran-hung-dao back, degraded; cam-cau-tam-ky tampered')
    expect(phase(250)).toMatch(/cam-nguyen-hoang-hoa-huong flapping online\/offline$/)
    expect(phase(400)).toBe('camera-outage 400/720: every camera online again')
    expect(phase(CAMERA_OUTAGE_TICKS)).toBe('camera outage over: every camera online')
  })

  it('repeats with --loop; without it, every camera stays online', () => {
    const again = reports('cam-phan-chu-trinh-hung-vuong', 1, true, CAMERA_OUTAGE_TICKS)
    expect(statesOf(again, CAMERA_OUTAGE_TICKS + POWER_CUT.from, CAMERA_OUTAGE_TICKS + POWER_CUT.first.degradedFrom).every((state) => state === 'offline')).toBe(true)
    const after = reports('cam-phan-chu-trinh-hung-vuong', 1, false, CAMERA_OUTAGE_TICKS)
    expect(after.every((r) => r.state === 'online')).toBe(true)
  })

  it('keeps the stations calm and produces only payloads the server accepts', () => {
    const scenario = cameraOutageScenario(3, pack, true)
    for (let tick = 0; tick < CAMERA_OUTAGE_TICKS + 30; tick++) {
      for (const s of pack.stations) {
        expect(scenario.reading(s, tick)).toEqual(calmReading(3, s, tick))
        expect(decodeAsServer(pack, floodReadingTopic(s.id), floodPayload(scenario.reading(s, tick), NOW), NOW)).toMatchObject({ ok: true })
      }
      if (tick % EVERY !== 0) continue
      for (const c of pack.cameras) {
        const decoded = decodeAsServer(pack, cameraStatusTopic(c.id), cameraPayload(scenario.camera(c, tick), NOW, 1000), NOW)
        expect(decoded, `${c.id} at tick ${tick}`).toMatchObject({ ok: true })
      }
    }
  })

  it('gives the same values for the same seed and different values for another', () => {
    const run = (seed: number) => pack.cameras.map((c) => reports(c.id, seed))
    expect(run(42)).toEqual(run(42))
    expect(run(42)).not.toEqual(run(43))
  })
})
