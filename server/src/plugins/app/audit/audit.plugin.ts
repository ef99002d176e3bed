import fp from 'fastify-plugin'
import { createAuditLog, type AuditLog } from './audit-log.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** Who did what, when and from where: logins, account changes, every privileged action. */
    audit: AuditLog
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('audit', createAuditLog(fastify.database.db))
  },
  { name: 'audit', dependencies: ['storage'] },
)
