import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ApiError, MAX_HISTORY_POINTS, Permission } from '@ioc/shared'
import { CSV_RATE_LIMIT, isStaff, parseRange, publicRateLimit } from './history.ts'
import { CSV_LANGUAGES, contentDisposition, readingsCsv } from './readings-csv.ts'

/**
 * `GET /api/stations/{id}/readings.csv`: every raw reading of a station in a range, as a CSV file,
 * streamed from the store page by page (docs/storage-and-backups.md, "Backups and export").
 *
 * The export is city staff's tool for reports: a whole flood season or year of readings in one file,
 * so logged-in staff may export any range up to 400 days, without a rate limit. Without login the
 * file is bounded like a history answer (MAX_HISTORY_POINTS readings, counted before anything is
 * sent) and rate-limited per address: flood data is public, but a script must not hold the store by
 * streaming 400-day files over and over.
 */
const stationExportRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/:id/readings.csv',
    {
      config: { access: Permission.floodRead, rateLimit: publicRateLimit(CSV_RATE_LIMIT, 'CSV exports') },
      schema: {
        tags: ['stations'],
        summary: 'Download a station’s raw readings for a range as CSV (Excel-ready: UTF-8 BOM, Vietnamese or English headings)',
        description:
          'Columns: local time in the city’s zone (`YYYY-MM-DD HH:mm:ss`, which Excel reads as a date-time), UTC time (ISO 8601), ' +
          'water level (cm), rainfall (mm), battery (%), message sequence number; empty cells where a device sent no value. ' +
          'RFC 4180, CRLF line ends, oldest reading first. An empty range gives the heading row alone. ' +
          `Logged-in staff export any range up to 400 days. Without login: at most ${MAX_HISTORY_POINTS} readings per file, and ${CSV_RATE_LIMIT.max} exports a minute per client address (then 429 with Retry-After).`,
        params: Type.Object({ id: Type.String({ description: 'Station id, e.g. tam-ky-river' }) }),
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (ISO-8601); default: 24 h before `to`' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'End (ISO-8601); default: now' })),
          headers: Type.Optional(Type.Enum(CSV_LANGUAGES, { description: 'Language of the heading row: `vi` (default) or `en`' })),
        }),
        response: {
          200: {
            description: 'The CSV file (`text/csv; charset=utf-8`, sent as an attachment named after the station and range)',
            // Sent as a stream; documented as the text it is.
            content: { 'text/csv': { schema: Type.Unsafe<Readable>({ type: 'string' }) } },
          },
          400: ApiError,
          404: ApiError,
          429: ApiError,
        },
      },
    },
    async (request, reply) => {
      const station = fastify.city.stationsById.get(request.params.id)
      if (!station) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no station "${request.params.id}"` })
      const range = parseRange(request.query.from, request.query.to, Date.now())
      if (!range.ok) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: range.message })
      const { fromMs, toMs } = range
      const language = request.query.headers ?? 'vi'
      if (!isStaff(request) && (await fastify.readings.countUpTo(station.id, fromMs, toMs, MAX_HISTORY_POINTS + 1)) > MAX_HISTORY_POINTS) {
        return reply.code(400).send({
          statusCode: 400,
          error: 'Bad Request',
          message: `this range holds more than ${MAX_HISTORY_POINTS.toLocaleString('en-US')} readings, more than an export without login may hold: ask for a shorter range, or log in — city staff may export up to 400 days at once`,
        })
      }

      const csv = readingsCsv(fastify.readings.export(station.id, fromMs, toMs), { language, timeZone: fastify.city.city.timezone, fromMs, toMs })
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition(station.id, station.name[language], fromMs, toMs))
        .send(Readable.from(csv))
    },
  )
}
export default stationExportRoutes
