import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ApiError, BUCKETS, BucketSchema, CameraHistoryResponse, Permission, CameraView, type Bucket } from '@ioc/shared'
import { checkBucketPoints, chooseBucket, parseRange } from '../stations/history.ts'

const camerasRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    { config: { access: Permission.cameraRead }, schema: { tags: ['cameras'], summary: 'Every road camera with its latest status', response: { 200: Type.Array(CameraView) } } },
    async () => {
      const latest = await fastify.cameraStatuses.latest([...fastify.city.camerasById.keys()])
      return fastify.city.cameras.map((camera) => ({ ...camera, latest: latest.get(camera.id) ?? null }))
    },
  )

  fastify.get(
    '/:id/history',
    {
      config: { access: Permission.cameraRead },
      schema: {
        tags: ['cameras'],
        summary: "A camera's reports per bucket and its uptime (share of reports online)",
        params: Type.Object({ id: Type.String({ description: 'Camera id, e.g. cam-cau-tam-ky' }) }),
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (ISO-8601); default: 24 h before `to`' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'End (ISO-8601); default: now' })),
          bucket: Type.Optional(
            Type.Enum(['auto', ...BucketSchema.enum.filter((b) => b !== 'raw')], { description: '`auto` (default): the finest bucket giving ≤ 1000 points' }),
          ),
        }),
        response: { 200: CameraHistoryResponse, 400: ApiError, 404: ApiError },
      },
    },
    async (request, reply) => {
      const camera = fastify.city.camerasById.get(request.params.id)
      if (!camera) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no camera "${request.params.id}"` })
      const range = parseRange(request.query.from, request.query.to, Date.now())
      if (!range.ok) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: range.message })
      const { fromMs, toMs } = range
      // Reports are counted per bucket, so "raw" has no meaning here: auto picks among the named widths.
      const bucket = (request.query.bucket === undefined || request.query.bucket === 'auto' ? chooseBucket(toMs - fromMs, Infinity) : request.query.bucket) as Exclude<Bucket, 'raw'>
      // The same bound as a station's history: no answer of more than MAX_HISTORY_POINTS buckets.
      const fits = checkBucketPoints(toMs - fromMs, bucket)
      if (!fits.ok) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: fits.message })
      const points = await fastify.cameraStatuses.uptime(camera.id, fromMs, toMs, BUCKETS[bucket])
      return {
        cameraId: camera.id,
        bucket,
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        points: points.map((p) => ({ ...p, uptime: p.reports === 0 ? 0 : p.online / p.reports })),
      }
    },
  )
}
export default camerasRoutes
