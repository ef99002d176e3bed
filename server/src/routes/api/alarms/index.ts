import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import Type, { type Static, type TSchema } from 'typebox'
import {
  AckBody,
  ALARM_PERMISSION,
  ALARM_TYPES,
  AlarmDetail,
  AlarmList,
  AlarmQuery,
  AlarmView,
  ApiError,
  holds,
  Permission,
  PublicAlarmDetail,
  PublicAlarmList,
  RowId,
  toPublicAlarmTransition,
  toPublicAlarmView,
  type AlarmType,
  type Principal,
} from '@ioc/shared'
import { toAlarmView } from '../../../plugins/app/alarms/alarms.repository.ts'

const AlarmId = Type.Object({ id: RowId })

/** Who is asking: null for the public — anonymous, or a user who must still choose a password (auth's effectivePrincipal). */
const principalOf = (request: FastifyRequest): Principal | null => request.auth?.principal ?? null

/**
 * Answers 200 with the serializer of the audience's own schema. The route declares both (for the API
 * documentation); each answer is written by exactly one, so the public's — whatever the handler hands
 * it — holds nothing but the public fields (additionalProperties: false).
 */
function answer<S extends TSchema>(reply: FastifyReply, schema: S, body: Static<S>): Static<S> {
  void reply.serializer(reply.compileSerializationSchema(schema as unknown as Record<string, unknown>, '200'))
  return body
}

/**
 * Alarms: everyone reads the flood ones; staff read every type; operators and admins acknowledge.
 * Logged-in users get each alarm in full; the public without who acknowledged it or their note.
 */
const alarmsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      config: { access: Permission.floodRead },
      schema: {
        tags: ['alarms'],
        summary: 'Alarms, newest first: state=active (not cleared), acknowledged or cleared; by type, station, camera, area, time raised',
        description:
          'Each caller sees the alarm types their role may: the public flood alarms only (flood_level, rapid_rise). Logged-in users get each alarm in full (AlarmList); the public without who acknowledged it or their note (PublicAlarmList).',
        querystring: AlarmQuery,
        response: { 200: Type.Union([AlarmList, PublicAlarmList]), 400: ApiError },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request)
      const visible = ALARM_TYPES.filter((type) => holds(principal, ALARM_PERMISSION[type]))
      const alarms = (await fastify.alarms.repo.list(request.query, visible)).map(toAlarmView)
      return principal === null ? answer(reply, PublicAlarmList, { alarms: alarms.map(toPublicAlarmView) }) : answer(reply, AlarmList, { alarms })
    },
  )

  fastify.get(
    '/:id',
    {
      config: { access: Permission.floodRead },
      schema: {
        tags: ['alarms'],
        summary: 'One alarm and every transition of it',
        description: 'Logged-in users get who acknowledged it and their note (AlarmDetail); the public neither, nor who made a transition (PublicAlarmDetail).',
        params: AlarmId,
        response: { 200: Type.Union([AlarmDetail, PublicAlarmDetail]), 401: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    async (request, reply) => {
      const row = await fastify.alarms.repo.byId(request.params.id)
      if (!row) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no alarm ${request.params.id}` })
      await fastify.authorize(request, ALARM_PERMISSION[row.type as AlarmType])
      const alarm = toAlarmView(row)
      const transitions = await fastify.alarms.repo.transitions(row.id)
      return principalOf(request) === null
        ? answer(reply, PublicAlarmDetail, { alarm: toPublicAlarmView(alarm), transitions: transitions.map(toPublicAlarmTransition) })
        : answer(reply, AlarmDetail, { alarm, transitions })
    },
  )

  fastify.post(
    '/:id/ack',
    {
      config: { access: Permission.alarmAck },
      schema: {
        tags: ['alarms'],
        summary: 'Acknowledge an active alarm with a note (operators, admins); 409 when it is cleared or already acknowledged',
        params: AlarmId,
        body: AckBody,
        response: { 200: AlarmView, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError },
      },
    },
    async (request) => {
      const { user } = request.auth!
      const alarm = await fastify.alarms.acknowledge(request.params.id, user.username, request.body.note.normalize('NFC').trim())
      await fastify.audit.record({ action: 'alarm.acknowledged', actor: user.username, ip: request.ip, target: `alarm:${alarm.id}`, detail: { type: alarm.type, source: alarm.source.id, level: alarm.level, note: alarm.acknowledged?.note ?? '' } })
      return alarm
    },
  )
}
export default alarmsRoutes
