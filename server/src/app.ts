import { STATUS_CODES } from 'node:http'
import type { Agent } from 'node:https'
import Fastify, { type FastifyError, type FastifyServerOptions } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Config } from './config.ts'
import { DomainError, HTTP_STATUS } from './domain-errors.ts'
import security from './plugins/external/security.ts'
import swagger from './plugins/external/swagger.ts'
import web from './plugins/external/web.ts'
import compression from './plugins/external/compression.ts'
import alarms from './plugins/app/alarms/alarms.plugin.ts'
import notifications from './plugins/app/notifications/notifications.plugin.ts'
import audit from './plugins/app/audit/audit.plugin.ts'
import indicators from './plugins/app/indicators/indicators.plugin.ts'
import publicData from './plugins/app/public/public.plugin.ts'
import forecast from './plugins/app/forecast/forecast.plugin.ts'
import auth from './plugins/app/auth/auth.plugin.ts'
import broker from './plugins/app/broker/broker.plugin.ts'
import city from './plugins/app/city/city.plugin.ts'
import basemap from './plugins/app/basemap/basemap.plugin.ts'
import cluster from './plugins/app/cluster/cluster.plugin.ts'
import events from './plugins/app/events/events.plugin.ts'
import shutdown from './plugins/app/shutdown/shutdown.plugin.ts'
import ingest from './plugins/app/ingest/ingest.plugin.ts'
import brokerSubscription from './plugins/app/ingest/broker-subscription.plugin.ts'
import metrics from './plugins/app/metrics/metrics.plugin.ts'
import realtime from './plugins/app/realtime/realtime.plugin.ts'
import storage from './plugins/app/storage/storage.plugin.ts'
import readings from './plugins/app/readings/readings.plugin.ts'
import snapshots from './plugins/app/snapshots/snapshots.plugin.ts'
import deadLetters from './plugins/app/ingest/dead-letters.plugin.ts'
import stationSettings from './plugins/app/station-settings/station-settings.plugin.ts'
import reports from './plugins/app/reports/reports.plugin.ts'
import alarmsRoutes from './routes/api/alarms/index.ts'
import notificationsRoutes from './routes/api/notifications/index.ts'
import auditRoutes from './routes/api/audit/index.ts'
import deadLettersRoutes from './routes/api/dead-letters/index.ts'
import indicatorsRoutes from './routes/api/indicators/index.ts'
import publicRoutes from './routes/api/public/index.ts'
import publicCamerasRoutes from './routes/api/public/cameras.ts'
import publicPage from './routes/pages/public-page.ts'
import publicShareImage from './routes/pages/public-share-image.ts'
import publicQr from './routes/pages/public-qr.ts'
import publicManifest from './routes/pages/public-manifest.ts'
import authRoutes from './routes/api/auth/index.ts'
import camerasRoutes from './routes/api/cameras/index.ts'
import cityRoutes from './routes/api/city/index.ts'
import stationsRoutes from './routes/api/stations/index.ts'
import stationExportRoutes from './routes/api/stations/export.ts'
import opsRoutes from './routes/ops/index.ts'
import usersRoutes from './routes/api/users/index.ts'
import reportsRoutes from './routes/api/reports/index.ts'
import tileRoutes from './routes/tiles/index.ts'

export interface AppOptions {
  config: Config
  /** The demo sets this so it runs beside a broker that already holds IOC_MQTT_PORT. */
  brokerFallbackToFreePort?: boolean
  /** Tests: the HTTPS agent Web Push goes through (one trusting their local push service) — and push endpoints on this machine are allowed. */
  pushAgent?: Agent
}

/**
 * Builds the whole IOC server — plugins in dependency order, then routes — without listening.
 * server.ts listens; tests call this and use `inject` or listen on port 0.
 */
export async function buildApp(options: AppOptions, fastifyOptions: FastifyServerOptions = {}) {
  const { config } = options
  // A hop count is accepted at run time (fastify lib/request.js) though its types omit numbers.
  const fastify = Fastify({ trustProxy: config.trustProxy as boolean | string, ...fastifyOptions, ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false } } }).withTypeProvider<TypeBoxTypeProvider>()

  fastify.setErrorHandler((error: FastifyError | DomainError, request, reply) => {
    // Domain code says what went wrong in its own terms; this is the one place that makes it HTTP.
    if (error instanceof DomainError) {
      const statusCode = HTTP_STATUS[error.kind]
      return reply.code(statusCode).send({ statusCode, error: STATUS_CODES[statusCode], message: error.message })
    }
    if (error.validation) {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: error.message })
    }
    const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed')
      return reply.code(statusCode).send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: 'The server could not complete this request; the error has been logged.' })
    }
    if (statusCode === 413) return reply.code(413).send({ statusCode, error: STATUS_CODES[413], message: 'the request body is too large' })
    return reply.code(statusCode).send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: error.message })
  })
  fastify.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  )

  // First, so that its preClose hook lets go of idle connections before anything else closes.
  await fastify.register(shutdown)
  await fastify.register(events)
  await fastify.register(cluster, { cluster: config.cluster, dbUrl: config.dbUrl, instance: config.mqtt.clientId })
  await fastify.register(city, { cityId: config.city })
  await fastify.register(basemap, { cityId: config.city, override: config.basemapOverride })
  // After the basemap: an online one's origin is the one the browser may fetch beyond this IOC.
  await fastify.register(security, { basemapOrigin: fastify.basemap.onlineOrigin })
  await fastify.register(compression)
  await fastify.register(metrics)
  await fastify.register(storage, { dbUrl: config.dbUrl, dataDir: config.dataDir })
  await fastify.register(readings, { retentionDays: config.retentionDays })
  await fastify.register(snapshots, { dataDir: config.dataDir, policy: config.snapshots })
  await fastify.register(deadLetters)
  await fastify.register(audit)
  await fastify.register(stationSettings)
  // Before swagger and every route: each route registered after it must declare its access.
  await fastify.register(auth, { sessions: config.sessions, adminPassword: config.adminPassword })
  await fastify.register(swagger)
  await fastify.register(realtime, { publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins, trustProxy: config.trustProxy })
  await fastify.register(alarms)
  await fastify.register(notifications, { cityId: config.city, publicUrl: config.publicUrl, mail: config.mail, vapid: config.vapid, ...(options.pushAgent && { pushAgent: options.pushAgent }) })
  await fastify.register(indicators, { cityId: config.city })
  await fastify.register(forecast)
  await fastify.register(publicData)
  await fastify.register(reports, { retentionDays: config.retentionDays })
  // Messages flow only once everything that reacts to them (realtime, alarms) has subscribed: the
  // ingest, then the broker that feeds it — the embedded one listens from here on — then, with an
  // external broker, the ingest's subscription on it.
  await fastify.register(ingest)
  await fastify.register(broker, { url: config.mqtt.url, embeddedPort: config.mqtt.embeddedPort, host: config.mqtt.host, tls: config.mqtt.tls, maxPacketBytes: config.mqtt.maxPacketBytes, fallbackToFreePort: options.brokerFallbackToFreePort ?? false })
  await fastify.register(brokerSubscription, { clientId: config.mqtt.clientId, shared: config.cluster !== undefined })

  await fastify.register(opsRoutes, { metricsToken: config.metricsToken })
  await fastify.register(authRoutes, { prefix: '/api' })
  await fastify.register(usersRoutes, { prefix: '/api/users' })
  await fastify.register(auditRoutes, { prefix: '/api/audit' })
  await fastify.register(alarmsRoutes, { prefix: '/api/alarms' })
  await fastify.register(notificationsRoutes, { prefix: '/api', allowLocalPushEndpoints: options.pushAgent !== undefined })
  await fastify.register(deadLettersRoutes, { prefix: '/api/dead-letters' })
  await fastify.register(indicatorsRoutes, { prefix: '/api/indicators' })
  await fastify.register(publicRoutes, { prefix: '/api/public' })
  await fastify.register(publicCamerasRoutes, { prefix: '/api/public' })
  await fastify.register(publicPage, { webDir: config.webDir, publicUrl: config.publicUrl })
  await fastify.register(publicShareImage, { publicUrl: config.publicUrl })
  await fastify.register(publicQr, { publicUrl: config.publicUrl })
  await fastify.register(publicManifest)
  await fastify.register(cityRoutes, { prefix: '/api' })
  await fastify.register(stationsRoutes, { prefix: '/api/stations' })
  await fastify.register(stationExportRoutes, { prefix: '/api/stations' })
  await fastify.register(camerasRoutes, { prefix: '/api/cameras' })
  await fastify.register(reportsRoutes, { prefix: '/api/reports' })
  await fastify.register(tileRoutes, { prefix: '/tiles' })
  await fastify.register(web, { webDir: config.webDir })

  await fastify.ready()
  return fastify
}
export type IocApp = Awaited<ReturnType<typeof buildApp>>
