import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import fp from 'fastify-plugin'

/**
 * Cookies, security headers and the rate limiter (applied per route: see the public flood route;
 * failed logins have limits of their own, plugins/app/auth/login-limits.ts).
 *
 * The CSP allows scripts from this origin only — no inline script, no eval. MapLibre starts its worker
 * from a `blob:` URL that imports the worker module from this origin (worker-src), and draws label
 * images from `data:`/`blob:` URLs. Styles: Preact, MapLibre and Chart.js set inline styles through the
 * DOM, which CSP allows without 'unsafe-inline'. No upgrade-insecure-requests: a city LAN may serve
 * the IOC over plain HTTP, where it would break every asset. An online basemap (IOC_BASEMAP_URL, or
 * a pack's URL) adds its one origin to img-src and connect-src (MapLibre fetches tiles and styles);
 * a pack's archive is served by the IOC and adds nothing.
 */
export default fp(
  async (fastify, opts: { basemapOrigin?: string | undefined }) => {
    const basemap = opts.basemapOrigin ? [opts.basemapOrigin] : []
    await fastify.register(cookie)
    await fastify.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          workerSrc: ["'self'", 'blob:'],
          childSrc: ["'self'", 'blob:'],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:', ...basemap],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'", ...basemap],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // Swagger UI and the dashboard load nothing cross-origin; keep the default isolation headers.
      strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: false },
    })
    // Several instances count in Redis, so a limit holds whichever instance a request lands on. If
    // Redis fails, requests pass (and the failure is logged): staff must still reach the IOC in a flood.
    const { redis, prefix } = fastify.cluster
    await fastify.register(rateLimit, { global: false, ...(redis && { redis, nameSpace: `${prefix}:rate-limit:`, skipOnError: true }) })
  },
  { name: 'security', dependencies: ['cluster'] },
)
