import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'

const Readiness = Type.Object({
  ready: Type.Boolean(),
  broker: Type.Boolean(),
  store: Type.Boolean(),
})

/** Liveness, readiness and Prometheus metrics, for process managers and monitoring. */
const opsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/healthz',
    { config: { access: 'public' }, schema: { tags: ['ops'], summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  )

  fastify.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'Broker connected and store answering; 503 otherwise',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const broker = fastify.ingest.connected()
      // The store must answer, and the ingest's last write must have succeeded.
      const store =
        fastify.ingest.storeHealthy() &&
        (await fastify.store.ping().then(
          () => true,
          () => false,
        ))
      const ready = broker && store
      return reply.code(ready ? 200 : 503).send({ ready, broker, store })
    },
  )

  fastify.get('/metrics', { config: { access: 'public' }, schema: { tags: ['ops'], summary: 'Prometheus metrics (text format)' } }, async (_request, reply) => {
    return reply.type(fastify.metrics.registry.contentType).send(await fastify.metrics.registry.metrics())
  })
}
export default opsRoutes
