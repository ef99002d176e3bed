import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import {
  ApiError,
  BUCKETS,
  BucketSchema,
  Permission,
  ReadingsResponse,
  StationView,
  UpdateStationBody,
  floodLevelOf,
  type Bucket,
  type LatestReading,
  type StationAlarmSettings,
} from '@ioc/shared'
import type { StationDef } from '@ioc/shared/city-packs'
import { MAX_AUTO_POINTS, MAX_RAW_POINTS, chooseBucket, parseRange } from './history.ts'

const StationParams = Type.Object({ id: Type.String({ description: 'Station id, e.g. tam-ky-river' }) })

/** The station as clients see it: its levels are the effective ones, and its flood level is judged by them. */
function toView(station: StationDef, settings: StationAlarmSettings, latest: LatestReading | undefined): StationView {
  return {
    ...station,
    levels: settings.levels,
    alarmSettings: settings,
    latest: latest ?? null,
    floodLevel: latest ? floodLevelOf(settings.levels, latest.waterLevelCm) : 0,
  }
}

const stationsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const unknownStation = (id: string) => ({ statusCode: 404, error: 'Not Found', message: `no station "${id}"` })
  const viewOf = (station: StationDef, latest: LatestReading | undefined) => toView(station, fastify.stationSettings.get(station.id), latest)

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
    async () => {
      const latest = await fastify.store.latestReadings([...fastify.city.stationsById.keys()])
      return fastify.city.stations.map((station) => viewOf(station, latest.get(station.id)))
    },
  )

  fastify.get(
    '/:id',
    { config: { access: Permission.floodRead }, schema: { tags: ['stations'], summary: 'One flood station with its latest reading', params: StationParams, response: { 200: StationView, 404: ApiError } } },
    async (request, reply) => {
      const station = fastify.city.stationsById.get(request.params.id)
      if (!station) return reply.code(404).send(unknownStation(request.params.id))
      const latest = await fastify.store.latestReadings([station.id])
      return viewOf(station, latest.get(station.id))
    },
  )

  fastify.patch(
    '/:id',
    {
      config: { access: Permission.cityManage },
      schema: {
        tags: ['stations'],
        summary: "Change a station's alarm settings: BĐ1–BĐ3 stage values, hysteresis, hold time, rapid-rise, silence and battery limits",
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
      const settings = await fastify.stationSettings.update(station.id, request.body, fastify.actorOf(request))
      const latest = await fastify.store.latestReadings([station.id])
      return toView(station, settings, latest.get(station.id))
    },
  )

  fastify.get(
    '/:id/readings',
    {
      config: { access: Permission.floodRead },
      schema: {
        tags: ['stations'],
        summary: 'Water-level history: raw points for short ranges, avg/min/max per bucket for long ones',
        params: StationParams,
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (ISO-8601); default: 24 h before `to`' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'End (ISO-8601); default: now' })),
          bucket: Type.Optional(
            Type.Enum(['auto', ...BucketSchema.enum], {
              description: '`auto` (default) returns raw points when there are at most 1000, else the finest bucket giving ≤ 1000 points',
            }),
          ),
        }),
        response: { 200: ReadingsResponse, 400: ApiError, 404: ApiError },
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
        // Counting stops past the limit that matters: a 30-day range need not count 43,200 rows.
        const limit = (bucket === 'raw' ? MAX_RAW_POINTS : MAX_AUTO_POINTS) + 1
        const count = await fastify.store.countReadingsUpTo(station.id, fromMs, toMs, limit)
        if (bucket === 'raw' && count > MAX_RAW_POINTS) {
          return reply.code(400).send({
            statusCode: 400,
            error: 'Bad Request',
            message: `more than ${MAX_RAW_POINTS} raw points in this range; ask for a bucket or a shorter range`,
          })
        }
        if (bucket === 'auto') bucket = chooseBucket(toMs - fromMs, count)
      }
      const points = await fastify.store.readings(station.id, fromMs, toMs, BUCKETS[bucket])
      return { stationId: station.id, bucket, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), points }
    },
  )
}
export default stationsRoutes
