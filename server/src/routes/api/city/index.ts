import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AreaCollection, CityDef } from '@ioc/shared/city-packs'

/** The city this IOC serves: map centre and bounds, and its wards and communes as GeoJSON. */
const cityRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/city', { config: { access: 'public' }, schema: { tags: ['city'], summary: 'The city: names, map centre and bounds, data sources', response: { 200: CityDef } } }, async () => fastify.city.city)

  fastify.get(
    '/areas',
    {
      config: { access: 'public' },
      schema: {
        tags: ['city'],
        summary: 'Wards and communes as a GeoJSON FeatureCollection (shapes may be approximate: see each `approximate`)',
        response: { 200: AreaCollection },
      },
    },
    async () => fastify.city.areas,
  )
}
export default cityRoutes
