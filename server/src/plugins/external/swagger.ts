import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'

/** OpenAPI document built from every route's TypeBox schema, browsable at /docs. */
export default fp(
  async (fastify) => {
    await fastify.register(swagger, {
      openapi: {
        info: {
          title: 'Tam Kỳ IOC API',
          description: 'Flood stations, road cameras and the city of the Tam Kỳ Intelligent Operations Centre. MQTT and socket.io contracts: see README.',
          version: '0.1.0',
        },
        tags: [
          { name: 'stations', description: 'Flood water-level stations and their history' },
          { name: 'cameras', description: 'Road cameras' },
          { name: 'city', description: 'The city, its wards and communes' },
          { name: 'ops', description: 'Health, readiness, metrics' },
          { name: 'auth', description: 'Login, logout, the current user. Every POST/PUT/PATCH/DELETE needs the x-csrf-token of the session.' },
          { name: 'alarms', description: 'Flood alarms (BĐ1–BĐ3, rapid rise) and device alarms; acknowledgement' },
          { name: 'indicators', description: "Every ward's and commune's socio-economic indicators: values, history, city figures" },
          { name: 'public', description: "Citizens' flood page data, without login (cached, rate-limited)" },
          { name: 'users', description: 'Accounts (admins)' },
          { name: 'audit', description: 'Audit log (admins)' },
          { name: 'reports', description: 'After-action reports: the storm report of a window, as JSON or CSV (staff)' },
        ],
      },
    })
    await fastify.register(swaggerUi, {
      routePrefix: '/docs',
      // Swagger UI sets a few inline styles; its pages (and only they) may. Scripts stay 'self' only.
      transformStaticCSP: (header: string) => header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
    })
  },
  { name: 'swagger' },
)
