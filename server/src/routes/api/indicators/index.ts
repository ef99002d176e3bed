import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import {
  ApiError,
  CityIndicatorSeries,
  IndicatorConflict,
  IndicatorHistory,
  IndicatorQuery,
  IndicatorRefusal,
  IndicatorValue,
  IndicatorValueList,
  Permission,
  PeriodSchema,
  PutIndicatorBody,
} from '@ioc/shared'
import { IndicatorDef } from '@ioc/shared/city-packs'

const ValueParams = Type.Object({ area: Type.String({ maxLength: 64 }), key: Type.String({ maxLength: 64 }), period: Type.String({ maxLength: 16 }) })
const Definitions = Type.Object({
  definitions: Type.Array(IndicatorDef),
  seed: Type.Union([Type.Object({ demo: Type.Boolean(), note: Type.Union([Type.Object({ vi: Type.String(), en: Type.String() }), Type.Null()]) }), Type.Null()]),
})

/** Area indicators: everyone logged in reads; area staff write their own area, admins any. */
const indicatorsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const read = { access: Permission.indicatorRead }

  fastify.get(
    '/definitions',
    { config: read, schema: { tags: ['indicators'], summary: "The city pack's indicators: names, units, ranges, periods, and whether the shipped values are demo data", response: { 200: Definitions } } },
    async () => ({ definitions: [...fastify.indicators.definitions()], seed: fastify.indicators.seed }),
  )

  fastify.get(
    '/',
    { config: read, schema: { tags: ['indicators'], summary: 'Current values by area, indicator and period (filters combine)', querystring: IndicatorQuery, response: { 200: IndicatorValueList, 400: ApiError } } },
    async (request) => ({ values: await fastify.indicators.repo.list(request.query) }),
  )

  fastify.get(
    '/city',
    {
      config: read,
      schema: {
        tags: ['indicators'],
        summary: "The city's figure per period: sum for counts, mean weighted by the definition's weight for rates",
        querystring: Type.Object({ key: Type.String({ maxLength: 64 }), from: Type.Optional(PeriodSchema), to: Type.Optional(PeriodSchema) }),
        response: { 200: CityIndicatorSeries, 400: ApiError, 404: ApiError },
      },
    },
    async (request) => fastify.indicators.citySeries(request.query.key, request.query.from, request.query.to),
  )

  fastify.put(
    '/:area/:key/:period',
    {
      // Area staff hold indicator:write for their own area only: the handler checks the area.
      config: { access: Permission.indicatorWrite },
      schema: {
        tags: ['indicators'],
        summary: "Enter or correct an area's value; expectedVersion is the version the edit started from (0: none yet)",
        description: 'A value outside the definition refused with 400 and its reason; someone else\'s change since expectedVersion with 409 and the current value.',
        params: ValueParams,
        body: PutIndicatorBody,
        response: { 200: IndicatorValue, 400: Type.Union([IndicatorRefusal, ApiError]), 401: ApiError, 403: ApiError, 404: ApiError, 409: Type.Union([IndicatorConflict, ApiError]) },
      },
    },
    async (request, reply) => {
      const { area, key, period } = request.params
      await fastify.authorize(request, Permission.indicatorWrite, { areaId: area })
      const outcome = await fastify.indicators.put(area, key, period, request.body, request.auth!.user.username)
      if (outcome.kind === 'refused') return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: outcome.message, reason: outcome.reason, min: outcome.min, max: outcome.max })
      if (outcome.kind === 'conflict') {
        return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: `changed meanwhile by ${outcome.current.updatedBy} (now version ${outcome.current.version})`, current: outcome.current })
      }
      return outcome.value
    },
  )

  fastify.get(
    '/:area/:key/:period/history',
    { config: read, schema: { tags: ['indicators'], summary: 'Every value this period has had, newest first, with who set it, when and the note', params: ValueParams, response: { 200: IndicatorHistory, 400: ApiError, 404: ApiError } } },
    async (request) => ({ history: await fastify.indicators.history(request.params.area, request.params.key, request.params.period) }),
  )
}
export default indicatorsRoutes
