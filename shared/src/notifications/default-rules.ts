import type { NotificationRuleInput } from './notification-api.ts'

/**
 * The rules a new IOC starts with when its city pack ships none (`notification-rules.json`; Tam Kỳ's
 * holds these same three), until an admin changes them: floods at BĐ2 and above and rapid rises
 * page the operators on duty, then the shift leaders after 10 minutes without an acknowledgement, then
 * the heads of office after 20; an area's flood alarms reach that area's staff; a device's faults
 * (silent, low battery, suspect readings, cameras) reach the technicians. Groups are set per account (contact settings) by an admin.
 */
export const DEFAULT_NOTIFICATION_RULES: readonly NotificationRuleInput[] = [
  {
    name: 'BĐ2 trở lên và nước lên nhanh → trực ban',
    enabled: true,
    alarmTypes: ['flood_level', 'rapid_rise'],
    minLevel: 2,
    areaIds: null,
    sourceIds: null,
    recipients: [{ kind: 'on_duty' }],
    escalation: [
      { afterMinutes: 10, recipients: [{ kind: 'group', group: 'shift-leaders' }] },
      { afterMinutes: 20, recipients: [{ kind: 'group', group: 'office-heads' }] },
    ],
  },
  {
    name: 'Cảnh báo ngập trong phường/xã → cán bộ phường/xã',
    enabled: true,
    alarmTypes: ['flood_level'],
    minLevel: null,
    areaIds: null,
    sourceIds: null,
    recipients: [{ kind: 'area_staff' }],
    escalation: [],
  },
  {
    name: 'Thiết bị lỗi → nhóm kỹ thuật',
    enabled: true,
    alarmTypes: ['station_silent', 'low_battery', 'sensor_suspect', 'camera_offline', 'camera_degraded', 'camera_tampered'],
    minLevel: null,
    areaIds: null,
    sourceIds: null,
    recipients: [{ kind: 'group', group: 'technicians' }],
    escalation: [],
  },
]
