import { csvDocument, textCell } from '../../ui/csv.ts'

export { downloadFile } from '../../ui/csv.ts'

/** One account to hand over: who, and the one-time password the server made for them. */
export interface Credential {
  username: string
  fullName: string
  /** The role and the area already in words (the sheet is for people, not for the import). */
  role: string
  area: string
  password: string
}

/** Column titles of the sheet the admin prints or shares: always Vietnamese, the city's language. */
export const CREDENTIAL_HEADERS = ['Tên đăng nhập', 'Họ và tên', 'Vai trò', 'Phường/xã', 'Mật khẩu một lần'] as const

/**
 * The one-time passwords as a CSV Excel opens correctly: UTF-8 with a byte-order mark (or Vietnamese
 * names come out garbled), CRLF line ends, fields quoted when they need it.
 */
export function credentialsCsv(rows: readonly Credential[]): string {
  // Passwords are left exactly as they are, to be typed as shown.
  return csvDocument(
    CREDENTIAL_HEADERS,
    rows.map((row) => [textCell(row.username), textCell(row.fullName), textCell(row.role), textCell(row.area), row.password]),
  )
}

/** "mat-khau-mot-lan-20251030-1405.csv", in the city's local time. */
export function credentialsFileName(now: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  )
  return `mat-khau-mot-lan-${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}.csv`
}
