import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import { ALARM_PERMISSION, ALARM_TYPES, ApiError, holds, Permission, STORM_REPORT_MAX_DAYS, StormReport, StormReportQuery } from '@ioc/shared'
import { CSV_LANGUAGES } from '../stations/readings-csv.ts'
import { stormCsvDisposition, stormReportCsv } from './storm-csv.ts'

/** The alarm types this caller may see: every staff role sees all of them today, but the rule lives in ALARM_PERMISSION. */
const visibleTypes = (request: FastifyRequest) => ALARM_TYPES.filter((type) => holds(request.auth?.principal ?? null, ALARM_PERMISSION[type]))

const WINDOW_RULES = `The window is [from, to): \`from\` before \`to\`, at most ${STORM_REPORT_MAX_DAYS} days; otherwise 400 with the reason.`

/**
 * After-action reports (docs/reports.md). Staff only — `health:read`, which every staff role holds and
 * the public does not: the report names who acknowledged each alarm and quotes their notes, and
 * lists stations' silences, which are device health.
 */
const reportsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/storm',
    {
      config: { access: Permission.healthRead },
      schema: {
        tags: ['reports'],
        summary: 'Storm report for a window: per station peak, time at each BĐ level, readings missing; alarms with who acknowledged and the wait; per area its stations',
        description: `${WINDOW_RULES} Times are UTC (ISO 8601); \`timeZone\` is the city's, for showing them.`,
        querystring: StormReportQuery,
        response: { 200: StormReport, 400: ApiError, 401: ApiError, 403: ApiError },
      },
    },
    async (request) => fastify.reports.storm(Date.parse(request.query.from), Date.parse(request.query.to), visibleTypes(request)),
  )

  fastify.get(
    '/storm.csv',
    {
      config: { access: Permission.healthRead },
      schema: {
        tags: ['reports'],
        summary: 'The same storm report as one CSV file for Excel (UTF-8 BOM): a stations table, then an alarms table',
        description:
          `${WINDOW_RULES} A title row (city, window in local time, time zone), an empty row, the stations table (one row per station), ` +
          'an empty row, the alarms table (one row per acknowledgement; an unacknowledged alarm has one row with those cells empty). ' +
          'Local times `YYYY-MM-DD HH:mm:ss`, durations in minutes, RFC 4180 with CRLF.',
        querystring: Type.Object({
          ...StormReportQuery.properties,
          headers: Type.Optional(Type.Enum(CSV_LANGUAGES, { description: 'Language of the headings: `vi` (default) or `en`' })),
        }),
        response: {
          200: { description: 'The CSV file (`text/csv; charset=utf-8`, as an attachment)', content: { 'text/csv': { schema: Type.String() } } },
          400: ApiError,
          401: ApiError,
          403: ApiError,
        },
      },
    },
    async (request, reply) => {
      const fromMs = Date.parse(request.query.from)
      const toMs = Date.parse(request.query.to)
      const language = request.query.headers ?? 'vi'
      const report = await fastify.reports.storm(fromMs, toMs, visibleTypes(request))
      const { stationsById, camerasById, city } = fastify.city
      const sourceName = (kind: 'station' | 'camera', id: string) => (kind === 'station' ? stationsById.get(id)?.name[language] : camerasById.get(id)?.name[language]) ?? id
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', stormCsvDisposition(fromMs, toMs))
        .send(stormReportCsv(report, language, city.name[language], sourceName))
    },
  )
}
export default reportsRoutes
