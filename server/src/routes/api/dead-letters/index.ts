import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ApiError, DeadLetterList, Permission } from '@ioc/shared'

const utf8 = new TextDecoder('utf-8', { fatal: true })
function asText(base64: string): string | null {
  try {
    return utf8.decode(Buffer.from(base64, 'base64'))
  } catch {
    return null
  }
}

/** What devices sent that the ingest refused, with the reason: for an admin tracking down a device. */
const deadLettersRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      config: { access: Permission.ingestInspect },
      schema: {
        tags: ['ops'],
        // Bounded however large what devices sent: at most 1,000 letters, each with at most 4 KB of
        // payload and 1,024 characters of topic and of detail (the store keeps no more). That is some
        // 10 KB a letter (base64 and text of the payload), 10 MB for 1,000; ~45 KB a letter at worst,
        // for text made of control characters, which JSON writes as \u00XX.
        summary: 'Refused MQTT messages, newest first, with their raw payload (its first 4 KB) and reason (admins; the newest 10,000 are kept)',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })) }),
        response: { 200: DeadLetterList, 400: ApiError, 401: ApiError, 403: ApiError },
      },
    },
    async (request) => ({
      deadLetters: (await fastify.deadLetters.list(request.query.limit ?? 100)).map((letter) => ({ ...letter, payloadText: asText(letter.payloadBase64) })),
    }),
  )
}
export default deadLettersRoutes
