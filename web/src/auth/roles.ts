import type { AuditAction, ImportRefusal, Role } from '@ioc/shared'
import type { MessageKey } from '../i18n/messages.ts'

/** Each role in words ("Cán bộ phường, xã"), never the code the server uses. */
export const ROLE_LABEL: Readonly<Record<Role, MessageKey>> = {
  staff: 'role.staff',
  area_staff: 'role.area_staff',
  operator: 'role.operator',
  admin: 'role.admin',
}

/** Why an import row was refused, in words. */
export const REFUSAL_LABEL: Readonly<Record<ImportRefusal, MessageKey>> = {
  missing_column: 'refusal.missing_column',
  invalid_username: 'refusal.invalid_username',
  duplicate_in_file: 'refusal.duplicate_in_file',
  username_taken: 'refusal.username_taken',
  missing_full_name: 'refusal.missing_full_name',
  full_name_too_long: 'refusal.full_name_too_long',
  invalid_role: 'refusal.invalid_role',
  area_required: 'refusal.area_required',
  unknown_area: 'refusal.unknown_area',
  area_not_allowed: 'refusal.area_not_allowed',
  malformed_row: 'refusal.malformed_row',
}

/** What an audit entry records, in words. */
export const AUDIT_ACTION_LABEL: Readonly<Record<AuditAction, MessageKey>> = {
  'auth.login': 'audit.action.auth.login',
  'auth.login_failed': 'audit.action.auth.login_failed',
  'auth.login_throttled': 'audit.action.auth.login_throttled',
  'auth.logout': 'audit.action.auth.logout',
  'auth.password_changed': 'audit.action.auth.password_changed',
  'user.created': 'audit.action.user.created',
  'user.updated': 'audit.action.user.updated',
  'user.password_reset': 'audit.action.user.password_reset',
  'user.imported': 'audit.action.user.imported',
  'access.denied': 'audit.action.access.denied',
  'device.credentials_issued': 'audit.action.device.credentials_issued',
  'device.credential_revoked': 'audit.action.device.credential_revoked',
  'mqtt.connect_failed': 'audit.action.mqtt.connect_failed',
  'mqtt.connect_throttled': 'audit.action.mqtt.connect_throttled',
  'station.updated': 'audit.action.station.updated',
  'alarm.acknowledged': 'audit.action.alarm.acknowledged',
  'notification.rule_created': 'audit.action.notification.rule_created',
  'notification.rule_changed': 'audit.action.notification.rule_changed',
  'notification.rule_deleted': 'audit.action.notification.rule_deleted',
  'notification.webhook_created': 'audit.action.notification.webhook_created',
  'notification.webhook_changed': 'audit.action.notification.webhook_changed',
  'notification.webhook_deleted': 'audit.action.notification.webhook_deleted',
  'roster.shift_added': 'audit.action.roster.shift_added',
  'roster.shift_removed': 'audit.action.roster.shift_removed',
  'contact.changed': 'audit.action.contact.changed',
}
