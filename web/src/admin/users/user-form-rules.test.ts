import { describe, expect, it } from 'vitest'
import type { UserView } from '@ioc/shared'
import { createBody, updateBody, userFormErrors, userFormOf, type UserFormValues } from './user-form-rules.ts'

const values = (over: Partial<UserFormValues> = {}): UserFormValues => ({ username: 'nguyenvana', fullName: 'Nguyễn Văn An', role: 'staff', areaId: '', ...over })
const user: UserView = {
  id: 3,
  username: 'levanc',
  fullName: 'Lê Văn Cường',
  role: 'area_staff',
  areaId: '20362',
  disabled: false,
  mustChangePassword: false,
  createdAt: '2025-10-30T07:00:00.000Z',
  updatedAt: '2025-10-30T07:00:00.000Z',
  lastLoginAt: null,
}

describe('userFormErrors', () => {
  it('accepts a complete form', () => {
    expect(userFormErrors(values(), 'create')).toEqual({})
  })

  it('holds usernames to the server pattern: lower case, no accents, 2 to 64', () => {
    for (const username of ['Nguyenvana', 'nguyễn', 'a', '-abc', 'x'.repeat(65), 'có dấu']) {
      expect(userFormErrors(values({ username }), 'create').username).toBe('userForm.error.username')
    }
    expect(userFormErrors(values({ username: 'tran.thi-b_2' }), 'create')).toEqual({})
  })

  it('does not judge the username of an existing account, which cannot change', () => {
    expect(userFormErrors(values({ username: 'Legacy Name' }), 'edit')).toEqual({})
  })

  it('asks for a full name of at most 120 characters', () => {
    expect(userFormErrors(values({ fullName: '   ' }), 'create').fullName).toBe('userForm.error.fullName')
    expect(userFormErrors(values({ fullName: 'Ấ'.repeat(121) }), 'create').fullName).toBe('userForm.error.fullName')
    expect(userFormErrors(values({ fullName: 'Ấ'.repeat(120) }), 'create')).toEqual({})
  })

  it('asks area staff for their area', () => {
    expect(userFormErrors(values({ role: 'area_staff' }), 'create').areaId).toBe('userForm.error.areaRequired')
    expect(userFormErrors(values({ role: 'area_staff', areaId: '20362' }), 'create')).toEqual({})
  })
})

describe('createBody', () => {
  it('trims, and sends an area only for area staff', () => {
    expect(createBody(values({ username: ' nguyenvana ', fullName: ' Nguyễn Văn An ', areaId: '20362' }))).toEqual({
      username: 'nguyenvana',
      fullName: 'Nguyễn Văn An',
      role: 'staff',
      areaId: null,
    })
    expect(createBody(values({ role: 'area_staff', areaId: '20362' })).areaId).toBe('20362')
  })
})

describe('updateBody', () => {
  it('is null when nothing changed', () => {
    expect(updateBody(user, userFormOf(user))).toBeNull()
  })

  it('sends only what changed', () => {
    expect(updateBody(user, { ...userFormOf(user), fullName: 'Lê Văn Cường ' })).toBeNull()
    expect(updateBody(user, { ...userFormOf(user), areaId: '20344' })).toEqual({ areaId: '20344' })
  })

  it('drops the area when the role no longer has one', () => {
    expect(updateBody(user, { ...userFormOf(user), role: 'operator' })).toEqual({ role: 'operator', areaId: null })
  })
})
