/** Helpers for the simulators' tests (not part of the package's API). */
import { decodeMessage, type CityPack, type Decoded } from '@ioc/shared'

/** Runs a payload through the server's own validator, as the ingest would at `nowMs`. */
export function decodeAsServer(pack: CityPack, topic: string, payload: unknown, nowMs: number): Decoded {
  const stations = new Set(pack.stations.map((station) => station.id))
  const cameras = new Set(pack.cameras.map((camera) => camera.id))
  return decodeMessage(topic, new TextEncoder().encode(JSON.stringify(payload)), {
    now: nowMs,
    isKnownStation: (id) => stations.has(id),
    isKnownCamera: (id) => cameras.has(id),
  })
}

/** `pack` with every station and camera id suffixed, so a test's topics are its own on a shared broker. */
export function packWithUniqueIds(pack: CityPack, suffix: string): CityPack {
  return {
    ...pack,
    stations: pack.stations.map((station) => ({ ...station, id: `${station.id}-${suffix}` })),
    cameras: pack.cameras.map((camera) => ({ ...camera, id: `${camera.id}-${suffix}` })),
  }
}
