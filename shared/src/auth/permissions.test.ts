import { describe, expect, it } from 'vitest'
import { can, holds, Permission, PERMISSIONS, Role, ROLE_PERMISSIONS, type Principal } from './permissions.ts'

const areaStaff: Principal = { role: Role.areaStaff, areaId: 'tam-thang' }

describe('can', () => {
  it('lets anonymous visitors read flood data and nothing else', () => {
    expect(PERMISSIONS.filter((p) => can(null, p))).toEqual([Permission.floodRead])
  })

  it('lets area staff write indicators of their own area only', () => {
    expect(can(areaStaff, Permission.indicatorWrite, { areaId: 'tam-thang' })).toBe(true)
    expect(can(areaStaff, Permission.indicatorWrite, { areaId: 'hoa-huong' })).toBe(false)
    expect(can(areaStaff, Permission.indicatorWrite)).toBe(false)
  })

  it('lets area staff read every area', () => {
    expect(can(areaStaff, Permission.indicatorRead, { areaId: 'hoa-huong' })).toBe(true)
  })

  it('lets admins write indicators anywhere and staff nowhere', () => {
    expect(can({ role: Role.admin, areaId: null }, Permission.indicatorWrite, { areaId: 'hoa-huong' })).toBe(true)
    expect(can({ role: Role.staff, areaId: null }, Permission.indicatorWrite, { areaId: 'hoa-huong' })).toBe(false)
  })

  it('keeps alarm acknowledgement to operators and admins', () => {
    const roles = Object.values(Role).filter((role) => can({ role, areaId: role === Role.areaStaff ? 'tam-thang' : null }, Permission.alarmAck))
    expect(roles).toEqual([Role.operator, Role.admin])
  })

  it('keeps account management to admins', () => {
    const holders = Object.entries(ROLE_PERMISSIONS).filter(([, permissions]) => permissions.includes(Permission.userManage))
    expect(holders.map(([audience]) => audience)).toEqual([Role.admin])
  })
})

describe('holds', () => {
  it('says area staff hold indicator writing somewhere, so routes let them reach the area check', () => {
    expect(holds(areaStaff, Permission.indicatorWrite)).toBe(true)
    expect(holds({ role: Role.staff, areaId: null }, Permission.indicatorWrite)).toBe(false)
    expect(holds(null, Permission.floodRead)).toBe(true)
  })
})
