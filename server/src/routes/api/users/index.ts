import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ApiError, CreateUserBody, RowId, ImportReport, ImportUsersBody, Permission, UpdateUserBody, UserList, UserResponse, UserWithPassword } from '@ioc/shared'

const UserId = Type.Object({ id: RowId })
const errors = { 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError, 409: ApiError }
const access = Permission.userManage

/** Administration of accounts (admins): list, create, edit, disable, reset passwords, import a CSV list. */
const usersRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/', { config: { access }, schema: { tags: ['users'], summary: 'Every account', response: { 200: UserList, 401: ApiError, 403: ApiError } } }, async () => ({
    users: await fastify.accounts.list(),
  }))

  fastify.post(
    '/',
    {
      config: { access },
      schema: {
        tags: ['users'],
        summary: 'Create an account; without a password the answer carries a one-time one. The user chooses their own at first login.',
        body: CreateUserBody,
        response: { 201: UserWithPassword, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await fastify.accounts.create(request.body, fastify.actorOf(request))),
  )

  fastify.patch(
    '/:id',
    {
      config: { access },
      schema: {
        tags: ['users'],
        summary: "Change an account's name, role, area or disabled state; a change of rights ends the user's sessions",
        params: UserId,
        body: UpdateUserBody,
        response: { 200: UserResponse, ...errors },
      },
    },
    async (request) => ({ user: await fastify.accounts.update(request.params.id, request.body, fastify.actorOf(request)) }),
  )

  fastify.post(
    '/:id/password-reset',
    {
      config: { access },
      schema: {
        tags: ['users'],
        summary: 'A new one-time password for an account; its sessions end, and the user chooses a password at next login',
        params: UserId,
        response: { 200: UserWithPassword, ...errors },
      },
    },
    async (request) => fastify.accounts.resetPassword(request.params.id, fastify.actorOf(request)),
  )

  fastify.post(
    '/import',
    {
      config: { access },
      bodyLimit: 2_500_000,
      schema: {
        tags: ['users'],
        summary: 'Create accounts from a CSV list (username, full_name, role, area); reports each row created or refused, and why',
        description: 'Header row first; UTF-8, a BOM is fine. `area` is the GSO code or the name of the ward or commune (area_staff only). `dryRun` checks without creating.',
        body: ImportUsersBody,
        response: { 200: ImportReport, ...errors },
      },
    },
    async (request) => fastify.accounts.importCsv(request.body.csv, request.body.dryRun ?? false, fastify.actorOf(request)),
  )
}
export default usersRoutes
