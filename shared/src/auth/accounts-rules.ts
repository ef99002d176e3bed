/**
 * The account rules as plain values, without schemas: the browser imports these, and stays free of
 * TypeBox (accounts-api.ts builds the request and answer schemas from them).
 */

/** Lower-case letters, digits and . _ - ; 2 to 64 characters, starting with a letter or digit. */
export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{1,63}$'
export const PASSWORD_MIN_LENGTH = 12
/** Long passphrases are welcome; the cap only keeps hashing cheap for the server. */
export const PASSWORD_MAX_LENGTH = 256
/** An account's full name, in characters. */
export const FULL_NAME_MAX_LENGTH = 120

/** Why an import row was refused; the web words each one in the user's language. */
export const IMPORT_REFUSALS = [
  'missing_column',
  'invalid_username',
  'duplicate_in_file',
  'username_taken',
  'missing_full_name',
  'full_name_too_long',
  'invalid_role',
  'area_required',
  'unknown_area',
  'area_not_allowed',
  'malformed_row',
] as const
export type ImportRefusal = (typeof IMPORT_REFUSALS)[number]

/** What the audit log records. */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.login_throttled',
  'auth.logout',
  'auth.password_changed',
  'user.created',
  'user.updated',
  'user.password_reset',
  'user.imported',
  'access.denied',
  'device.credentials_issued',
  'device.credential_revoked',
  'mqtt.connect_failed',
  'mqtt.connect_throttled',
  'station.updated',
  'alarm.acknowledged',
  'notification.rule_created',
  'notification.rule_changed',
  'notification.rule_deleted',
  'notification.webhook_created',
  'notification.webhook_changed',
  'notification.webhook_deleted',
  'roster.shift_added',
  'roster.shift_removed',
  'contact.changed',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]
