import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ApiError, cameraSnapshotTopic, checkSnapshot, MAX_SNAPSHOT_BYTES, SNAPSHOT_MAX_SIDE, SNAPSHOT_MIN_SIDE, type SnapshotInfo } from '@ioc/shared'
import { HttpError } from '../../../http-error.ts'
import { InvalidRequest } from '../../../domain-errors.ts'
import type { SnapshotRow } from '../../../plugins/app/snapshots/snapshots.repository.ts'

/** `?w=`: the widest the answer may be, in pixels; the picture is downscaled (aspect kept) when wider. */
export const PICTURE_WIDTH = Type.Integer({ minimum: SNAPSHOT_MIN_SIDE, maximum: SNAPSHOT_MAX_SIDE, description: 'Widest the picture may be, in px (e.g. 160 or 640); downscaled, aspect kept' })

/** A JPEG answer, as OpenAPI describes it. */
export const JPEG_RESPONSE = {
  description: 'The JPEG; its time in the header `x-snapshot-ts` (ISO-8601)',
  content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } },
} as const

export const snapshotInfo = (row: SnapshotRow): SnapshotInfo => ({ ts: new Date(row.tsMs).toISOString(), width: row.width, height: row.height })

export function sendPicture(reply: FastifyReply, found: { snapshot: SnapshotRow; jpeg: Buffer }, cacheControl: string) {
  return reply
    .header('content-type', 'image/jpeg')
    .header('x-snapshot-ts', new Date(found.snapshot.tsMs).toISOString())
    .header('cache-control', cacheControl)
    .send(found.jpeg)
}

/** At most this many uploads a minute from one address: a camera sends one every few minutes; a guesser gets few tries. */
const UPLOAD_RATE_LIMIT = { max: 60, timeWindow: 60_000 } as const

/**
 * The device's credential of an HTTP Basic header — the same one the embedded broker checks (table
 * `device_credentials`): the camera's own, or a gateway's (a VMS sending for many cameras). 401 for
 * a missing or wrong one, 403 for another device's.
 */
async function checkDevice(fastify: FastifyInstance, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): Promise<void> {
  const header = request.headers.authorization ?? ''
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header)
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : ''
  const colon = decoded.indexOf(':')
  if (colon < 1) {
    void reply.header('www-authenticate', 'Basic realm="IOC camera", charset="UTF-8"')
    throw new HttpError(401, "send the camera's device credential (HTTP Basic: its MQTT username and password)")
  }
  const identity = await fastify.deviceCredentials.verify(decoded.slice(0, colon), decoded.slice(colon + 1))
  if (!identity) {
    request.log.warn({ username: decoded.slice(0, colon), ip: request.ip }, 'snapshot upload refused: unknown or wrong device credential')
    void reply.header('www-authenticate', 'Basic realm="IOC camera", charset="UTF-8"')
    throw new HttpError(401, 'unknown or wrong device credential')
  }
  if (identity.kind === 'device' && identity.deviceId !== request.params.id) {
    throw new HttpError(403, `the credential "${identity.username}" may send snapshots of its own camera only, not of "${request.params.id}"`)
  }
}

/** `PUT /api/cameras/{id}/snapshot`: a camera that speaks HTTP better than MQTT sends its picture here. */
export function registerSnapshotUpload(fastify: FastifyInstance): void {
  // JPEG bodies, for this plugin's routes only: read whole, refused with 413 above 512 KB.
  fastify.addContentTypeParser('image/jpeg', { parseAs: 'buffer', bodyLimit: MAX_SNAPSHOT_BYTES }, (_request, body, done) => done(null, body))
  const routes: FastifyPluginAsyncTypebox = async (scoped) => {
    scoped.put(
      '/:id/snapshot',
      {
        config: { access: 'device', rateLimit: UPLOAD_RATE_LIMIT },
        bodyLimit: MAX_SNAPSHOT_BYTES,
        // The credential is checked before the body is read: a stranger's 512 KB is never taken in.
        onRequest: (request, reply) => checkDevice(fastify, request as FastifyRequest<{ Params: { id: string } }>, reply),
        schema: {
          tags: ['cameras'],
          summary: "A camera sends a snapshot (body: the JPEG, content-type image/jpeg, at most 512 KB), with its device credential as HTTP Basic",
          params: Type.Object({ id: Type.String({ description: 'Camera id, e.g. cam-cau-tam-ky' }) }),
          response: { 204: Type.Null({ description: 'Stored' }), 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 413: ApiError, 415: ApiError, 429: ApiError },
        },
      },
      async (request, reply) => {
        const { id } = request.params
        if (!fastify.city.camerasById.has(id)) throw new HttpError(404, `no camera "${id}"`)
        if (!Buffer.isBuffer(request.body)) throw new InvalidRequest('send the picture as the body, with content-type image/jpeg')
        const checked = checkSnapshot(request.body)
        // Told at once, not kept as a dead letter: the camera is still on the line to hear why.
        if (!checked.ok) throw new InvalidRequest(`snapshot refused: ${checked.detail}`)
        // The MQTT path, so it is stored, counted and published exactly as a published snapshot is.
        const outcome = await fastify.ingest.handle(cameraSnapshotTopic(id), request.body)
        if (outcome === 'rejected') throw new InvalidRequest('snapshot refused; see GET /api/dead-letters')
        return reply.code(204).send(null)
      },
    )
  }
  void fastify.register(routes)
}
