import fp from 'fastify-plugin'
import { createDeadLettersRepository, type DeadLettersRepository } from './dead-letters.repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Refused MQTT messages, kept for admins (`GET /api/dead-letters`). */
    deadLetters: DeadLettersRepository
  }
}

/** The dead letters of the ingest and the embedded broker; trimmed to DEAD_LETTER_LIMIT at start. */
export default fp(
  async (fastify) => {
    const deadLetters = createDeadLettersRepository(fastify.database.db)
    await deadLetters.trim()
    fastify.decorate('deadLetters', deadLetters)
  },
  { name: 'dead-letters', dependencies: ['storage'] },
)
