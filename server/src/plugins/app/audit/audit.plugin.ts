import fp from 'fastify-plugin'
import { createAuditLogRepository, type AuditLogRepository } from './audit-log.repository.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Who did what, when and from where: logins, account changes, every privileged action. */
    audit: AuditLogRepository
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('audit', createAuditLogRepository(fastify.database.db))
  },
  { name: 'audit', dependencies: ['storage'] },
)
