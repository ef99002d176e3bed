import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ApiError, BUCKETS, BucketSchema, CameraHistoryResponse, CameraSnapshotsResponse, Permission, CameraView, type Bucket } from '@ioc/shared'
import { InvalidRequest, NotFound } from '../../../domain-errors.ts'
import { checkBucketPoints, chooseBucket, parseRange } from '../stations/history.ts'
import { registerSnapshotUpload, JPEG_RESPONSE, PICTURE_WIDTH, sendPicture, snapshotInfo } from './snapshots.ts'

/** What `GET /api/cameras/{id}/snapshots` covers when not told: the scrubber's last 6 hours. */
const SNAPSHOT_RANGE_MS = 6 * 3_600_000

const camerasRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    { config: { access: Permission.cameraRead }, schema: { tags: ['cameras'], summary: 'Every road camera with its latest status', response: { 200: Type.Array(CameraView) } } },
    async () => {
      const ids = [...fastify.city.camerasById.keys()]
      const [latest, snapshots] = await Promise.all([fastify.cameraStatuses.latest(ids), fastify.snapshots.repository.latest(ids)])
      return fastify.city.cameras.map((camera) => {
        const snapshot = snapshots.get(camera.id)
        return { ...camera, latest: latest.get(camera.id) ?? null, latestSnapshot: snapshot ? snapshotInfo(snapshot) : null }
      })
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

  fastify.get(
    '/:id/snapshots',
    {
      config: { access: Permission.cameraRead },
      schema: {
        tags: ['cameras'],
        summary: "A camera's snapshots kept in a window, oldest first (default: the last 6 hours)",
        params: Type.Object({ id: Type.String({ description: 'Camera id, e.g. cam-cau-tam-ky' }) }),
        querystring: Type.Object({
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Start (ISO-8601); default: 6 h before `to`' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'End (ISO-8601); default: now' })),
        }),
        response: { 200: CameraSnapshotsResponse, 400: ApiError, 404: ApiError },
      },
    },
    async (request) => {
      const camera = fastify.city.camerasById.get(request.params.id)
      if (!camera) throw new NotFound(`no camera "${request.params.id}"`)
      const toMs = request.query.to === undefined ? Date.now() : Date.parse(request.query.to)
      const range = parseRange(request.query.from ?? (Number.isNaN(toMs) ? undefined : new Date(toMs - SNAPSHOT_RANGE_MS).toISOString()), request.query.to, Date.now())
      if (!range.ok) throw new InvalidRequest(range.message)
      const rows = await fastify.snapshots.repository.list(camera.id, range.fromMs, range.toMs)
      return { cameraId: camera.id, snapshots: rows.map((row) => ({ ...snapshotInfo(row), bytes: row.bytes })) }
    },
  )

  const pictureSchema = (summary: string, params: ReturnType<typeof Type.Object>) => ({
    tags: ['cameras'],
    summary,
    params,
    querystring: Type.Object({ w: Type.Optional(PICTURE_WIDTH) }),
    response: { 200: JPEG_RESPONSE, 400: ApiError, 404: ApiError },
  })
  fastify.get(
    '/:id/snapshots/latest.jpg',
    {
      config: { access: Permission.cameraRead },
      schema: pictureSchema("A camera's newest snapshot (JPEG; header x-snapshot-ts); `?w=` downscales it", Type.Object({ id: Type.String({ description: 'Camera id' }) })),
    },
    async (request, reply) => {
      const { id } = request.params as { id: string }
      if (!fastify.city.camerasById.has(id)) throw new NotFound(`no camera "${id}"`)
      const found = await fastify.snapshots.picture(id, 'latest', (request.query as { w?: number }).w)
      if (!found) throw new NotFound(`camera "${id}" has sent no snapshot yet`)
      return sendPicture(reply, found, 'private, no-cache')
    },
  )
  fastify.get(
    '/:id/snapshots/:tsMs(^\\d+).jpg',
    {
      config: { access: Permission.cameraRead },
      schema: pictureSchema(
        'One snapshot of a camera by its time (epoch milliseconds, as `ts` in the list); `?w=` downscales it',
        Type.Object({ id: Type.String({ description: 'Camera id' }), tsMs: Type.String({ pattern: '^[0-9]{1,16}$', description: "The snapshot's time in epoch milliseconds" }) }),
      ),
    },
    async (request, reply) => {
      const { id, tsMs } = request.params as { id: string; tsMs: string }
      if (!fastify.city.camerasById.has(id)) throw new NotFound(`no camera "${id}"`)
      const found = await fastify.snapshots.picture(id, Number(tsMs), (request.query as { w?: number }).w)
      if (!found) throw new NotFound(`camera "${id}" has no snapshot at ${new Date(Number(tsMs)).toISOString()} (it may have been thinned out: list them with GET /api/cameras/${id}/snapshots)`)
      // A snapshot never changes once stored.
      return sendPicture(reply, found, 'private, max-age=86400, immutable')
    },
  )

  registerSnapshotUpload(fastify)
}
export default camerasRoutes
