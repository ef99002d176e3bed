import { existsSync } from 'node:fs'
import { join, sep } from 'node:path'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'

/** Serves the built dashboard (web/dist). Without a build, `/` says how to make one instead of a bare 404. */
export default fp(
  async (fastify, opts: { webDir: string }) => {
    if (existsSync(join(opts.webDir, 'index.html'))) {
      const assetsDir = join(opts.webDir, 'assets') + sep
      await fastify.register(fastifyStatic, {
        root: opts.webDir,
        wildcard: false,
        // The build writes each file also as .br and .gz (web/vite.config.ts): sent as they are to a browser
        // that takes them, not compressed again per request (@fastify/compress still does it for a file
        // without them). `index` must be a list for `/` to find index.html.br.
        preCompressed: true,
        index: ['index.html'],
        // The build names each file under /assets/ by its content: it never changes, so a phone keeps it
        // for a year instead of asking again on each visit (a round trip each on 2G). Everything else
        // (the pages, the service workers) is checked on each visit.
        setHeaders: (res, path) => {
          if (path.startsWith(assetsDir)) res.header('cache-control', 'public, max-age=31536000, immutable')
        },
      })
      return
    }
    fastify.log.warn({ webDir: opts.webDir }, 'dashboard not built: run `pnpm build` (the API still works)')
    fastify.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send('<!doctype html><meta charset="utf-8"><title>Tam Kỳ IOC</title><p>Bảng điều khiển chưa được build. Chạy <code>pnpm build</code>.</p><p>The dashboard is not built. Run <code>pnpm build</code>.</p>'),
    )
  },
  { name: 'web' },
)
