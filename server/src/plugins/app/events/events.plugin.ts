import fp from 'fastify-plugin'
import { createDomainEvents, type DomainEvents } from './domain-events.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The in-process domain event bus (domain-events.ts): capabilities publish facts and subscribe to them. */
    events: DomainEvents
  }
}

/** First of all plugins: every other capability may publish or subscribe as it registers. */
export default fp(
  async (fastify) => {
    fastify.decorate('events', createDomainEvents(fastify.log.child({ component: 'events' })))
  },
  { name: 'events' },
)
