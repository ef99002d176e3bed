import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ApiError, PublicCamerasResponse } from '@ioc/shared'
import { NotFound } from '../../../domain-errors.ts'
import { JPEG_RESPONSE, sendPicture, snapshotInfo } from '../cameras/snapshots.ts'
import { PUBLIC_RATE_LIMIT } from './index.ts'

/** The widest picture citizens' phones get: enough for a phone, a fraction of a camera's full picture. */
const PUBLIC_WIDTH = 640
/** Phones and the proxies in front of the IOC may reuse a picture this long (a camera sends one every few minutes). */
const PUBLIC_MAX_AGE_S = 30

/**
 * The cameras a city marks `public` in its pack (one watching a river or a bridge), for the citizens'
 * page without login. A camera not marked public does not exist here: its pictures are never served.
 */
const publicCamerasRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const publicCameras = () => fastify.city.cameras.filter((camera) => camera.public === true)

  fastify.get(
    '/cameras',
    {
      config: { access: 'public', rateLimit: PUBLIC_RATE_LIMIT },
      schema: { tags: ['public'], summary: 'The cameras the city shows to everyone, with their latest snapshot', response: { 200: PublicCamerasResponse, 429: ApiError } },
    },
    async (_request, reply) => {
      const cameras = publicCameras()
      const latest = await fastify.snapshots.repository.latest(cameras.map((camera) => camera.id))
      void reply.header('cache-control', `public, max-age=${PUBLIC_MAX_AGE_S}`)
      return {
        cameras: cameras.map(({ id, name, lat, lon }) => {
          const snapshot = latest.get(id)
          return { id, name, lat, lon, latest: snapshot ? snapshotInfo(snapshot) : null }
        }),
      }
    },
  )

  fastify.get(
    '/cameras/:id/latest.jpg',
    {
      config: { access: 'public', rateLimit: PUBLIC_RATE_LIMIT },
      schema: {
        tags: ['public'],
        summary: `A public camera's latest snapshot, at most ${PUBLIC_WIDTH} px wide (header x-snapshot-ts); cacheable ${PUBLIC_MAX_AGE_S} s`,
        params: Type.Object({ id: Type.String({ description: 'Camera id of a camera marked public, e.g. cam-cau-tam-ky' }) }),
        response: { 200: JPEG_RESPONSE, 404: ApiError, 429: ApiError },
      },
    },
    async (request, reply) => {
      const { id } = request.params
      // The same answer for a camera that is not public as for one that does not exist.
      if (fastify.city.camerasById.get(id)?.public !== true) throw new NotFound(`no public camera "${id}"`)
      const found = await fastify.snapshots.picture(id, 'latest', PUBLIC_WIDTH)
      if (!found) throw new NotFound(`camera "${id}" has sent no snapshot yet`)
      return sendPicture(reply, found, `public, max-age=${PUBLIC_MAX_AGE_S}`)
    },
  )
}
export default publicCamerasRoutes
