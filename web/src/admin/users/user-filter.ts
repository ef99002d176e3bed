import type { Role, UserView } from '@ioc/shared'

export interface UserFilter {
  /** Part of a username or full name, with or without Vietnamese accents. */
  text: string
  role: Role | ''
  areaId: string
}

export const NO_FILTER: UserFilter = { text: '', role: '', areaId: '' }

/** "Nguyễn Văn Đức" → "nguyen van duc": what an admin typing without accents would match. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .trim()
}

/** The accounts that match every filter set, by username. Disabled accounts stay in the list (marked). */
export function filterUsers(users: readonly UserView[], filter: UserFilter): UserView[] {
  const text = foldText(filter.text)
  return users
    .filter((user) => {
      if (filter.role && user.role !== filter.role) return false
      if (filter.areaId && user.areaId !== filter.areaId) return false
      if (text && !foldText(`${user.username} ${user.fullName}`).includes(text)) return false
      return true
    })
    .sort((a, b) => a.username.localeCompare(b.username))
}
