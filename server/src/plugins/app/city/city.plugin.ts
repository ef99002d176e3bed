import fp from 'fastify-plugin'
import type { CameraDef, CityPack, StationDef } from '@ioc/shared/city-packs'
import { resolveCityPack } from '@ioc/shared/city-packs/node'

declare module 'fastify' {
  interface FastifyInstance {
    /** The city pack this server runs (IOC_CITY: a pack id or a pack folder), validated at start. */
    city: CityPack & { stationsById: ReadonlyMap<string, StationDef>; camerasById: ReadonlyMap<string, CameraDef> }
  }
}

export default fp(
  async (fastify, opts: { cityId: string }) => {
    const pack = resolveCityPack(opts.cityId)
    fastify.decorate('city', {
      ...pack,
      stationsById: new Map(pack.stations.map((s) => [s.id, s])),
      camerasById: new Map(pack.cameras.map((c) => [c.id, c])),
    })
    fastify.log.info({ city: pack.city.id, stations: pack.stations.length, cameras: pack.cameras.length, areas: pack.areas.features.length }, 'city pack loaded')
  },
  { name: 'city' },
)
