/**
 * Who may do what: the one permission list of the IOC (docs/accounts.md has it as a table). The server checks it on
 * every route and socket event; the web reads it only to hide what a role cannot use.
 */
export const Role = {
  staff: 'staff',
  areaStaff: 'area_staff',
  operator: 'operator',
  admin: 'admin',
} as const
export type Role = (typeof Role)[keyof typeof Role]
export const ROLES: readonly Role[] = Object.values(Role)

/** An anonymous visitor (a citizen on the public page) is not a role of an account. */
export const PUBLIC = 'public'
export type Audience = Role | typeof PUBLIC
export const AUDIENCES: readonly Audience[] = [PUBLIC, ...ROLES]

export const Permission = {
  /** Flood stations, their levels and readings, flood alarms. */
  floodRead: 'flood:read',
  /** Camera status and its history. */
  cameraRead: 'camera:read',
  /** Device health: silent stations, low batteries (camera faults go with camera:read). */
  healthRead: 'health:read',
  /** Every area's indicators. */
  indicatorRead: 'indicator:read',
  /** Enter and correct indicators: area staff only in their own area (see `can`). */
  indicatorWrite: 'indicator:write',
  /** Acknowledge and annotate alarms. */
  alarmAck: 'alarm:ack',
  /** Stations, their alarm levels, cameras and device credentials. */
  cityManage: 'city:manage',
  /** Accounts: create, edit, disable, reset passwords, import. */
  userManage: 'user:manage',
  /** The audit log. */
  auditRead: 'audit:read',
  /** Refused MQTT messages (dead letters) with their raw payloads. */
  ingestInspect: 'ingest:inspect',
  /** The duty roster: who is on duty when (notifications go to them). */
  rosterManage: 'roster:manage',
  /** Notification rules, webhooks, the delivery log, other accounts' contact settings. */
  notificationManage: 'notification:manage',
} as const
export type Permission = (typeof Permission)[keyof typeof Permission]
export const PERMISSIONS: readonly Permission[] = Object.values(Permission)

const READ_ALL = [Permission.floodRead, Permission.cameraRead, Permission.healthRead, Permission.indicatorRead] as const

/** Which audience holds which permissions: the capability table of docs/accounts.md, as data. */
export const ROLE_PERMISSIONS: Readonly<Record<Audience, readonly Permission[]>> = {
  public: [Permission.floodRead],
  staff: READ_ALL,
  area_staff: [...READ_ALL, Permission.indicatorWrite],
  operator: [...READ_ALL, Permission.alarmAck, Permission.rosterManage],
  admin: PERMISSIONS,
}

/** Permissions that only hold inside the principal's own area when the role is bound to one. */
const AREA_SCOPED: ReadonlySet<Permission> = new Set([Permission.indicatorWrite])

/** Who is asking: a logged-in account, or null for an anonymous visitor. */
export interface Principal {
  role: Role
  /** The area an `area_staff` account belongs to; null for every other role. */
  areaId: string | null
}

export function audienceOf(principal: Principal | null): Audience {
  return principal ? principal.role : PUBLIC
}

/**
 * Whether the principal's role carries `permission` at all — for an area-scoped one, somewhere. Routes
 * check this first; the handler then checks the area with `can(principal, permission, { areaId })`.
 */
export function holds(principal: Principal | null, permission: Permission): boolean {
  return ROLE_PERMISSIONS[audienceOf(principal)].includes(permission)
}

/**
 * Whether `principal` may use `permission` — on `target.areaId` when the action is about one area.
 * Area staff hold area-scoped permissions in their own area only; admins hold every permission everywhere.
 */
export function can(principal: Principal | null, permission: Permission, target?: { areaId?: string }): boolean {
  if (!holds(principal, permission)) return false
  if (principal?.role === Role.areaStaff && AREA_SCOPED.has(permission)) {
    return target?.areaId !== undefined && target.areaId === principal.areaId
  }
  return true
}

/** Roles that are bound to exactly one area. */
export function roleNeedsArea(role: Role): boolean {
  return role === Role.areaStaff
}
