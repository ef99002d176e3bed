import { constants } from 'node:zlib'
import compress from '@fastify/compress'
import fp from 'fastify-plugin'

/**
 * Compressed answers (brotli or gzip, as the client accepts) for everything of 1 KB or more: the
 * citizens' page on a 2G phone downloads a third of the bytes (measured: a cold load of /muc-nuoc 116 kB
 * → ~40 kB). Brotli at quality 4, not the default 11: the page and the public figures are made per
 * request, and 11 costs tens of milliseconds a request for a few per cent fewer bytes. Behind a reverse
 * proxy that compresses itself, the proxy sees an encoded answer and passes it on.
 */
export default fp(
  async (fastify) => {
    await fastify.register(compress, {
      threshold: 1024,
      encodings: ['br', 'gzip'],
      brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
      zlibOptions: { level: 6 },
    })
  },
  { name: 'compression' },
)
