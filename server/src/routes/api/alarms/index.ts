import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { AckBody, ALARM_PERMISSION, ALARM_TYPES, AlarmDetail, AlarmList, AlarmQuery, AlarmView, ApiError, holds, Permission, type AlarmType } from '@ioc/shared'
import { toAlarmView } from '../../../plugins/app/alarms/alarms.repository.ts'

const AlarmId = Type.Object({ id: Type.Integer({ minimum: 1 }) })

/** Alarms: everyone reads the flood ones; staff read every type; operators and admins acknowledge. */
const alarmsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      config: { access: Permission.floodRead },
      schema: {
        tags: ['alarms'],
        summary: 'Alarms, newest first: state=active (not cleared), acknowledged or cleared; by type, station, camera, area, time raised',
        description: 'Each caller sees the alarm types their role may: the public flood alarms only (flood_level, rapid_rise).',
        querystring: AlarmQuery,
        response: { 200: AlarmList, 400: ApiError },
      },
    },
    async (request) => {
      // A user who must still choose a password sees what the public sees, as everywhere.
      const principal = request.auth && request.auth.user.must_change_password !== 1 ? request.auth.principal : null
      const visible = ALARM_TYPES.filter((type) => holds(principal, ALARM_PERMISSION[type]))
      return { alarms: (await fastify.alarms.repo.list(request.query, visible)).map(toAlarmView) }
    },
  )

  fastify.get(
    '/:id',
    {
      config: { access: Permission.floodRead },
      schema: { tags: ['alarms'], summary: 'One alarm and every transition of it', params: AlarmId, response: { 200: AlarmDetail, 401: ApiError, 403: ApiError, 404: ApiError } },
    },
    async (request, reply) => {
      const row = await fastify.alarms.repo.byId(request.params.id)
      if (!row) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no alarm ${request.params.id}` })
      await fastify.authorize(request, ALARM_PERMISSION[row.type as AlarmType])
      return { alarm: toAlarmView(row), transitions: await fastify.alarms.repo.transitions(row.id) }
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
