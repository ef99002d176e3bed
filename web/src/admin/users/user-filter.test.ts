import { describe, expect, it } from 'vitest'
import type { UserView } from '@ioc/shared'
import { filterUsers, foldText, NO_FILTER } from './user-filter.ts'

const user = (id: number, username: string, fullName: string, over: Partial<UserView> = {}): UserView => ({
  id,
  username,
  fullName,
  role: 'staff',
  areaId: null,
  disabled: false,
  mustChangePassword: false,
  createdAt: '2025-10-30T07:00:00.000Z',
  updatedAt: '2025-10-30T07:00:00.000Z',
  lastLoginAt: null,
  ...over,
})
const users = [
  user(1, 'tranthib', 'Trần Thị Bình', { role: 'operator' }),
  user(2, 'dangvand', 'Đặng Văn Đức', { role: 'area_staff', areaId: '20362', disabled: true }),
  user(3, 'admin', 'Quản trị hệ thống', { role: 'admin' }),
]
const names = (list: UserView[]) => list.map((u) => u.username)

describe('foldText', () => {
  it('drops Vietnamese accents, đ included', () => {
    expect(foldText(' Đặng Văn Đức ')).toBe('dang van duc')
  })
})

describe('filterUsers', () => {
  it('lists everyone by username, disabled accounts included', () => {
    expect(names(filterUsers(users, NO_FILTER))).toEqual(['admin', 'dangvand', 'tranthib'])
  })

  it('matches names typed with or without accents', () => {
    expect(names(filterUsers(users, { ...NO_FILTER, text: 'duc' }))).toEqual(['dangvand'])
    expect(names(filterUsers(users, { ...NO_FILTER, text: 'Bình' }))).toEqual(['tranthib'])
    expect(names(filterUsers(users, { ...NO_FILTER, text: 'ADMIN' }))).toEqual(['admin'])
  })

  it('filters by role and by area together', () => {
    expect(names(filterUsers(users, { ...NO_FILTER, role: 'operator' }))).toEqual(['tranthib'])
    expect(names(filterUsers(users, { ...NO_FILTER, areaId: '20362' }))).toEqual(['dangvand'])
    expect(filterUsers(users, { text: '', role: 'operator', areaId: '20362' })).toEqual([])
  })
})
