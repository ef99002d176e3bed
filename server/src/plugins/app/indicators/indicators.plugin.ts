import fp from 'fastify-plugin'
import { loadIndicatorSeed } from '@ioc/shared/city-packs/node'
import { createIndicatorsRepository, type IndicatorsRepository } from './indicators.repository.ts'
import { createIndicatorsService, type IndicatorsService } from './indicators.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    indicators: IndicatorsService & { repo: IndicatorsRepository; seed: { demo: boolean; note: { vi: string; en: string } | null } | null }
  }
}

/**
 * Area indicators. On an empty store, the values the city pack ships (demo figures for Tam Kỳ) are
 * loaded once, each with a first history entry, and marked as demo data when the pack says so.
 */
export default fp(
  async (fastify, opts: { cityId: string }) => {
    const repo = createIndicatorsRepository(fastify.database.db)
    const service = createIndicatorsService({
      repo,
      definitions: fastify.city.indicators,
      areaIds: new Set(fastify.city.areas.features.map((f) => f.properties.code)),
      timeZone: fastify.city.city.timezone,
      events: fastify.events,
    })
    const seed = loadIndicatorSeed(opts.cityId)
    if (seed && (await repo.isEmpty())) {
      const count = await repo.seed(seed.values, seed.demo, seed.demo ? 'demo' : 'city-pack', Date.now())
      fastify.log.info({ count, demo: seed.demo }, 'indicator values loaded from the city pack')
    }
    fastify.decorate('indicators', Object.assign(service, { repo, seed: seed && { demo: seed.demo, note: seed.note ?? null } }))
  },
  { name: 'indicators', dependencies: ['events', 'storage', 'city'] },
)
