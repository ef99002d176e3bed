import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ApiError } from '@ioc/shared'
import { metricsAccess } from './metrics-access.ts'

export interface OpsOptions {
  /** IOC_METRICS_TOKEN: lets other hosts read `/metrics` as a bearer token; unset, loopback only. */
  metricsToken: string | undefined
}

const Readiness = Type.Object({
  ready: Type.Boolean(),
  broker: Type.Boolean(),
  store: Type.Boolean(),
  /**
   * Several instances: Redis answers (realtime between instances, rate limits). Always true alone.
   * Not part of `ready`: without Redis an instance still ingests, stores and serves; only its live
   * link with the others stops, so a load balancer must not take every instance out for it.
   */
  redis: Type.Boolean(),
})

/** Liveness, readiness and Prometheus metrics, for process managers and monitoring. */
const opsRoutes: FastifyPluginAsyncTypebox<OpsOptions> = async (fastify, opts) => {
  fastify.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'The process is alive, and which instance answered (its MQTT client id)',
        response: { 200: Type.Object({ status: Type.Literal('ok'), instance: Type.String() }) },
      },
    },
    async () => ({ status: 'ok' as const, instance: fastify.cluster.instance }),
  )

  fastify.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'Broker subscribed and store answering (503 otherwise); with several instances, whether Redis answers',
        response: { 200: Readiness, 503: Readiness },
      },
    },
    async (_request, reply) => {
      const broker = fastify.ingestSubscription.connected()
      // The store must answer, and the ingest's last write must have succeeded.
      const store =
        fastify.ingest.storeHealthy() &&
        (await fastify.database.ping().then(
          () => true,
          () => false,
        ))
      const redis = fastify.cluster.redisHealthy()
      const ready = broker && store
      return reply.code(ready ? 200 : 503).send({ ready, broker, store, redis })
    },
  )

  fastify.get(
    '/metrics',
    {
      // No session: a monitoring system has none. The route checks its own access (metrics-access.ts).
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics (text format): from the server itself, or with Authorization: Bearer <IOC_METRICS_TOKEN>',
        response: {
          200: { description: 'The Prometheus text exposition', content: { 'text/plain': { schema: Type.String() } } },
          401: ApiError,
        },
      },
    },
    async (request, reply) => {
      const access = metricsAccess(request.ip, request.headers.authorization, opts.metricsToken)
      if (!access.allowed) {
        return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ statusCode: 401, error: 'Unauthorized', message: access.message })
      }
      return reply.type(fastify.metrics.registry.contentType).send(await fastify.metrics.registry.metrics())
    },
  )
}
export default opsRoutes
