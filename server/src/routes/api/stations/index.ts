import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import {
  ApiError,
  BUCKETS,
  BucketSchema,
  MAX_HISTORY_POINTS,
  Permission,
  ReadingsResponse,
  StationView,
  UpdateStationBody,
  floodLevelOf,
  type Bucket,
  type FloodForecast,
  type LatestReading,
  type StationAlarmSettings,
} from '@ioc/shared'
import type { StationDef } from '@ioc/shared/city-packs'
import { HISTORY_RATE_LIMIT, MAX_AUTO_POINTS, checkBucketPoints, chooseBucket, parseRange, publicRateLimit, tooManyRawMessage } from './history.ts'

const StationParams = Type.Object({ id: Type.String({ description: 'Station id, e.g. tam-ky-river' }) })

/** The station as clients see it: its levels and plausibility limit are the effective ones, and its flood level is judged by them. */
function toView(station: StationDef, settings: StationAlarmSettings, latest: LatestReading | undefined, forecast: FloodForecast | null): StationView {
  return {
    ...station,
    levels: settings.levels,
    maxChangeCmPerMinute: settings.maxChangeCmPerMinute,
    alarmSettings: settings,
    latest: latest ?? null,
    floodLevel: latest ? floodLevelOf(settings.levels, latest.waterLevelCm) : 0,
    forecast,
  }
}

const stationsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const unknownStation = (id: string) => ({ statusCode: 404, error: 'Not Found', message: `no station "${id}"` })
  /** The stations' views with their latest readings and forecasts, the forecasts from the store (any instance answers alike). */
  const viewsOf = async (stations: readonly StationDef[]) => {
    const ids = stations.map((s) => s.id)
    const latest = await fastify.readings.latest(ids)
    const forecasts = await fastify.forecasts.forStations(ids, latest)
    return stations.map((station) => toView(station, fastify.stationSettings.get(station.id), latest.get(station.id), forecasts.get(station.id) ?? null))
  }

  fastify.get(
    '/',
    {
      config: { access: Permission.floodRead },
      schema: {
        tags: ['stations'],
        summary: 'Every flood station with its place, area, alarm levels and latest reading: one request paints the map',
        response: { 200: Type.Array(StationView) },
      },
    },
    async () => viewsOf(fastify.city.stations),
  )

  fastify.get(
    '/:id',
    { config: { access: Permission.floodRead }, schema: { tags: ['stations'], summary: 'One flood station with its latest reading', params: StationParams, response: { 200: StationView, 404: ApiError } } },
    async (request, reply) => {
      const station = fastify.city.stationsById.get(request.params.id)
      if (!station) return reply.code(404).send(unknownStation(request.params.id))
      return (await viewsOf([station]))[0]!
    },
  )

  fastify.patch(
    '/:id',
    {
      config: { access: Permission.cityManage },
      schema: {
        tags: ['stations'],
        summary: "Change a station's alarm settings: BĐ1–BĐ3 stage values, hysteresis, hold time, rapid-rise, silence, battery and plausibility limits",
        description:
          'Only the fields given change; `levels` is given whole (BĐ1 < BĐ2 < BĐ3, cm above the station datum). Unset fields keep the city pack\'s levels and the defaults. Every change is audited (`station.updated`).',
        params: StationParams,
        body: UpdateStationBody,
        response: { 200: StationView, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    async (request, reply) => {
      const station = fastify.city.stationsById.get(request.params.id)
      if (!station) return reply.code(404).send(unknownStation(request.params.id))
      await fastify.stationSettings.update(station.id, request.body, fastify.actorOf(request))
      return (await viewsOf([station]))[0]!
    },
  )

  fastify.get(
    '/:id/readings',
    {
      config: { access: Permission.floodRead, rateLimit: publicRateLimit(HISTORY_RATE_LIMIT, 'history requests') },
      schema: {
        tags: ['stations'],
        summary: 'Water-level history: raw points for short ranges, avg/min/max per bucket for long ones',
        description:
          `At most ${MAX_HISTORY_POINTS} points per answer: a range and bucket that would give more (or more raw readings) are refused with 400, naming the finest bucket that fits. ` +
          `Without a staff session, ${HISTORY_RATE_LIMIT.max} requests a minute per client address (then 429 with Retry-After).`,
        params: StationParams,
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (ISO-8601); default: 24 h before `to`' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'End (ISO-8601); default: now' })),
          bucket: Type.Optional(
            Type.Enum(['auto', ...BucketSchema.enum], {
              description: `\`auto\` (default) returns raw points when there are at most ${MAX_AUTO_POINTS}, else the finest bucket giving ≤ ${MAX_AUTO_POINTS} points`,
            }),
          ),
        }),
        response: { 200: ReadingsResponse, 400: ApiError, 404: ApiError, 429: ApiError },
      },
    },
    async (request, reply) => {
      const station = fastify.city.stationsById.get(request.params.id)
      if (!station) return reply.code(404).send(unknownStation(request.params.id))
      const range = parseRange(request.query.from, request.query.to, Date.now())
      if (!range.ok) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: range.message })
      const { fromMs, toMs } = range

      let bucket: Bucket | 'auto' = request.query.bucket ?? 'auto'
      if (bucket === 'auto' || bucket === 'raw') {
        // Raw readings are bounded by counting them, not by the range: a device reports as often as it
        // likes (every minute, every 10 s, or once an hour), so only the store knows how many a range
        // holds. Counting stops one past the limit that matters, so it reads no more than the answer would.
        const limit = (bucket === 'raw' ? MAX_HISTORY_POINTS : MAX_AUTO_POINTS) + 1
        const count = await fastify.readings.countUpTo(station.id, fromMs, toMs, limit)
        if (bucket === 'raw' && count > MAX_HISTORY_POINTS) {
          return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: tooManyRawMessage(toMs - fromMs) })
        }
        if (bucket === 'auto') bucket = chooseBucket(toMs - fromMs, count)
      } else {
        // A chosen bucket is bounded by arithmetic: the range says how many buckets it touches.
        const fits = checkBucketPoints(toMs - fromMs, bucket)
        if (!fits.ok) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: fits.message })
      }
      const points = await fastify.readings.points(station.id, fromMs, toMs, BUCKETS[bucket])
      return { stationId: station.id, bucket, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), points }
    },
  )
}
export default stationsRoutes
