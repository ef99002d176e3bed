import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ApiError, AuditPage, AuditQuery, Permission } from '@ioc/shared'

/** The audit log (admins): logins, account changes and privileged actions, newest first. */
const auditRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/',
    {
      config: { access: Permission.auditRead },
      schema: { tags: ['audit'], summary: 'Audit entries, newest first; page back with `before`', querystring: AuditQuery, response: { 200: AuditPage, 400: ApiError, 401: ApiError, 403: ApiError } },
    },
    async (request) => ({ entries: await fastify.audit.list(request.query) }),
  )
}
export default auditRoutes
