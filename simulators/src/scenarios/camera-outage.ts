import type { CameraDef, CityPack } from '@ioc/shared'
import { CAMERA_EVERY_TICKS, calmReading, degradedCamera, onlineCamera } from './calm.ts'
import type { CameraValues, FloodValues, TickScenario } from './scenario.ts'

/*
 * Timing. Statuses go out every 5 ticks, stamped with the wall clock: at the default rate of 1 tick/s a
 * tick is one second of data time. The engine clears a camera alarm once reports have looked well for
 * 5 min, so every fault here ends at least 6 min before the run does: by the end all alarms are cleared.
 */

/** Length of one run, in ticks: 12 min at the default rate. All phase bounds are multiples of 5, so reports fall on them. */
export const CAMERA_OUTAGE_TICKS = 720

/**
 * A power cut takes two neighbouring cameras offline at `from`; each comes back degraded (low frame
 * rate and bitrate while its link re-syncs), then online. Ticks, end exclusive.
 */
export const POWER_CUT = {
  from: 30,
  first: { degradedFrom: 150, onlineFrom: 270 },
  second: { degradedFrom: 90, onlineFrom: 210 },
} as const

/** A camera reports `tamper: true` (turned away or covered) while its stream stays up. */
export const TAMPER = { from: 180, until: 330 } as const

/**
 * A camera on a weak link flaps: offline at every other report in this stretch (240, 250 … 290),
 * online in between — six offline reports 10 s apart at the default rate, which an alarm with a
 * clear hold must turn into one alarm, not six.
 */
export const FLAPPING = { from: 240, until: 300 } as const
const FLAP_EVERY_TICKS = 2 * CAMERA_EVERY_TICKS

/** From here on every camera is online and none tampered. */
export const ALL_RECOVERED_FROM = TAMPER.until

/** Which camera shows which fault: the pack's first four, in order; a role is left out when the pack has fewer. */
export interface CameraOutageCast {
  powerCut: readonly CameraDef[]
  tamper?: CameraDef
  flapping?: CameraDef
}

/**
 * For Tam Kỳ: the power cut on the two central junctions (cam-phan-chu-trinh-hung-vuong, back last, and
 * cam-hung-vuong-tran-hung-dao), the tamper on cam-cau-tam-ky, the flapping on cam-nguyen-hoang-hoa-huong.
 */
export function castCameraOutage(pack: CityPack): CameraOutageCast {
  const [first, second, tamper, flapping] = pack.cameras
  return { powerCut: [first, second].filter((camera) => camera !== undefined), tamper, flapping }
}

/** Where in the run `tick` falls, or null once a run without `loop` is over. */
export function cameraOutageTickOf(tick: number, loop: boolean): number | null {
  if (loop) return tick % CAMERA_OUTAGE_TICKS
  return tick < CAMERA_OUTAGE_TICKS ? tick : null
}

function offline(ageTicks: number): CameraValues {
  return { state: 'offline', fps: 0, bitrateKbps: 0, lastFrameAgeTicks: ageTicks }
}

/** Whether the flapping camera is offline at run tick `s`. */
export function flappedOffline(s: number): boolean {
  return s >= FLAPPING.from && s < FLAPPING.until && (s - FLAPPING.from) % FLAP_EVERY_TICKS === 0
}

/** What `camera` reports at `tick` of a camera-outage run. */
export function cameraOutageCamera(seed: number, cast: CameraOutageCast, camera: CameraDef, tick: number, loop: boolean): CameraValues {
  const s = cameraOutageTickOf(tick, loop)
  const online = onlineCamera(seed, camera, tick)
  if (s === null) return online
  const cut = cast.powerCut.findIndex((c) => c.id === camera.id)
  if (cut >= 0) {
    const { degradedFrom, onlineFrom } = cut === 0 ? POWER_CUT.first : POWER_CUT.second
    // The last frame came when the power went.
    if (s >= POWER_CUT.from && s < degradedFrom) return offline(s - POWER_CUT.from)
    if (s >= degradedFrom && s < onlineFrom) return degradedCamera(seed, camera, tick)
    return online
  }
  // This camera's firmware reports its tamper flag either way, so the alarm sees it go false again.
  if (camera.id === cast.tamper?.id) return { ...online, tamper: s >= TAMPER.from && s < TAMPER.until }
  // The last frame came with the online report before.
  if (camera.id === cast.flapping?.id && flappedOffline(s)) return offline(CAMERA_EVERY_TICKS)
  return online
}

function cameraOutagePhase(cast: CameraOutageCast, tick: number, loop: boolean): string {
  const s = cameraOutageTickOf(tick, loop)
  if (s === null) return 'camera outage over: every camera online'
  const faults: string[] = []
  cast.powerCut.forEach((camera, index) => {
    const { degradedFrom, onlineFrom } = index === 0 ? POWER_CUT.first : POWER_CUT.second
    if (s >= POWER_CUT.from && s < degradedFrom) faults.push(`${camera.id} offline (power cut)`)
    else if (s >= degradedFrom && s < onlineFrom) faults.push(`${camera.id} back, degraded`)
  })
  if (cast.tamper && s >= TAMPER.from && s < TAMPER.until) faults.push(`${cast.tamper.id} tampered`)
  if (cast.flapping && s >= FLAPPING.from && s < FLAPPING.until) faults.push(`${cast.flapping.id} flapping online/offline`)
  const state = faults.length > 0 ? faults.join('; ') : s < POWER_CUT.from ? 'every camera online' : 'every camera online again'
  return `camera-outage ${s}/${CAMERA_OUTAGE_TICKS}: ${state}`
}

/**
 * Camera faults on a calm day: a power cut takes two cameras offline and they come back degraded, one
 * camera is tampered with, one flaps online/offline; then all recover (see the constants above for
 * when). The other cameras stay online and the stations calm, so the only alarms are the cameras'.
 * Without `loop` every camera stays online after one run; with it the run starts again.
 */
export function cameraOutageScenario(seed: number, pack: CityPack, loop: boolean): TickScenario<FloodValues> {
  const cast = castCameraOutage(pack)
  return {
    cameraEveryTicks: CAMERA_EVERY_TICKS,
    reading: (station, tick) => calmReading(seed, station, tick),
    camera: (camera, tick) => cameraOutageCamera(seed, cast, camera, tick, loop),
    phase: (tick) => cameraOutagePhase(cast, tick, loop),
  }
}
