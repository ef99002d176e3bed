import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { CameraView } from '@ioc/shared'

const camerasRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    { schema: { tags: ['cameras'], summary: 'Every road camera with its latest status', response: { 200: Type.Array(CameraView) } } },
    async () => {
      const latest = await fastify.store.latestCameraStatuses([...fastify.city.camerasById.keys()])
      return fastify.city.cameras.map((camera) => ({ ...camera, latest: latest.get(camera.id) ?? null }))
    },
  )
}
export default camerasRoutes
