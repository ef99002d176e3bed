import Type, { type Static } from 'typebox'
import { AUDIT_ACTIONS, FULL_NAME_MAX_LENGTH, IMPORT_REFUSALS, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from './accounts-rules.ts'
import { PERMISSIONS, ROLES } from './permissions.ts'
import { BIGINT_COLUMN_MAX } from '../schemas/common.ts'

export const RoleSchema = Type.Enum(ROLES, { description: 'staff, area_staff, operator or admin' })
export const PermissionSchema = Type.Enum(PERMISSIONS)
export const Username = Type.String({ pattern: USERNAME_PATTERN, description: 'lower-case letters, digits and . _ - (2 to 64)' })
export const FullName = Type.String({ minLength: 1, maxLength: FULL_NAME_MAX_LENGTH })
export const NewPassword = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
const AreaId = Type.String({ minLength: 1, maxLength: 64 })
const Timestamp = Type.String({ format: 'date-time' })

/** `POST /api/auth/login`. The username is matched without regard to case or surrounding spaces. */
export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
  },
  { additionalProperties: false },
)
export type LoginBody = Static<typeof LoginBody>

/** The logged-in user as they see themselves. */
export const CurrentUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  fullName: Type.String(),
  role: RoleSchema,
  areaId: Type.Union([Type.String(), Type.Null()]),
  /** Set for new and reset accounts: every other request is refused until the user picks a password. */
  mustChangePassword: Type.Boolean(),
  permissions: Type.Array(PermissionSchema),
})
export type CurrentUser = Static<typeof CurrentUser>

/**
 * `GET /api/me`, and the answer to login and to a password change. `csrfToken` goes in the
 * `x-csrf-token` header of every POST, PUT, PATCH and DELETE of this session.
 */
export const SessionResponse = Type.Object({
  user: CurrentUser,
  csrfToken: Type.String(),
  /** When the session ends at the latest, whatever the activity. */
  expiresAt: Timestamp,
})
export type SessionResponse = Static<typeof SessionResponse>

/** `GET /api/auth/csrf`: a token for the login form, before there is a session. */
export const CsrfResponse = Type.Object({ csrfToken: Type.String() })
export type CsrfResponse = Static<typeof CsrfResponse>

/** `POST /api/auth/password`. */
export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }), newPassword: NewPassword },
  { additionalProperties: false },
)
export type ChangePasswordBody = Static<typeof ChangePasswordBody>

/** An account as administrators see it. */
export const UserView = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  fullName: Type.String(),
  role: RoleSchema,
  areaId: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  lastLoginAt: Type.Union([Timestamp, Type.Null()]),
})
export type UserView = Static<typeof UserView>

export const UserList = Type.Object({ users: Type.Array(UserView) })
export type UserList = Static<typeof UserList>

/**
 * `POST /api/users`. Without `password` the server makes a one-time password; either way the user
 * picks their own at first login.
 */
export const CreateUserBody = Type.Object(
  {
    username: Username,
    fullName: FullName,
    role: RoleSchema,
    areaId: Type.Optional(Type.Union([AreaId, Type.Null()])),
    password: Type.Optional(NewPassword),
  },
  { additionalProperties: false },
)
export type CreateUserBody = Static<typeof CreateUserBody>

/** `PATCH /api/users/{id}`: any of these. A role, area or disabled change ends the user's sessions. */
export const UpdateUserBody = Type.Object(
  {
    fullName: Type.Optional(FullName),
    role: Type.Optional(RoleSchema),
    areaId: Type.Optional(Type.Union([AreaId, Type.Null()])),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateUserBody = Static<typeof UpdateUserBody>

/** The answer to creating a user or resetting a password: the one-time password is shown only here. */
export const UserWithPassword = Type.Object({
  user: UserView,
  temporaryPassword: Type.Optional(Type.String()),
})
export type UserWithPassword = Static<typeof UserWithPassword>

export const UserResponse = Type.Object({ user: UserView })
export type UserResponse = Static<typeof UserResponse>

/** `POST /api/users/import`: a CSV with the header `username,full_name,role,area` (UTF-8, BOM allowed). */
export const ImportUsersBody = Type.Object(
  {
    csv: Type.String({ minLength: 1, maxLength: 2_000_000 }),
    /** Check every row and report, creating nothing. */
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type ImportUsersBody = Static<typeof ImportUsersBody>

export const ImportReport = Type.Object({
  dryRun: Type.Boolean(),
  /** Rows that became accounts (or would, on a dry run), each with its one-time password (not on a dry run). */
  created: Type.Array(
    Type.Object({ line: Type.Integer(), username: Type.String(), fullName: Type.String(), role: RoleSchema, areaId: Type.Union([Type.String(), Type.Null()]), temporaryPassword: Type.Optional(Type.String()) }),
  ),
  refused: Type.Array(
    Type.Object({ line: Type.Integer(), username: Type.Union([Type.String(), Type.Null()]), reason: Type.Enum(IMPORT_REFUSALS), message: Type.String() }),
  ),
})
export type ImportReport = Static<typeof ImportReport>

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  /** Username of who acted; null for an anonymous attempt. */
  actor: Type.Union([Type.String(), Type.Null()]),
  action: Type.Enum(AUDIT_ACTIONS),
  /** What it was done to, e.g. `user:nguyenvana` or `route:POST /api/users`. */
  target: Type.Union([Type.String(), Type.Null()]),
  /** The client address (behind a proxy: the forwarded one, with IOC_TRUST_PROXY). */
  ip: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
})
export type AuditEntry = Static<typeof AuditEntry>

export const AuditQuery = Type.Object({
  action: Type.Optional(Type.Enum(AUDIT_ACTIONS)),
  actor: Type.Optional(Type.String({ maxLength: 64 })),
  /** Entries before this id, for the next page (compared with a bigint column, hence the bound). */
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: BIGINT_COLUMN_MAX })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
})
export type AuditQuery = Static<typeof AuditQuery>

export const AuditPage = Type.Object({ entries: Type.Array(AuditEntry) })
export type AuditPage = Static<typeof AuditPage>
