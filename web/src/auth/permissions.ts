import type { CurrentUser, Permission } from '@ioc/shared'

/**
 * Whether the logged-in user holds `permission`, read from the list the server sent with the session
 * (never from the role's name): the web only hides what the server would refuse anyway.
 */
export function hasPermission(user: Pick<CurrentUser, 'permissions'> | null, permission: Permission): boolean {
  return user?.permissions.includes(permission) ?? false
}
