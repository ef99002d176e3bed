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
 * A spreadsheet would run a cell starting with = + - @ as a formula: a name typed as "=HYPERLINK(…)"
 * in an imported file must stay text. Passwords are left exactly as they are, to be typed as shown.
 */
function textCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

function quoted(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/**
 * The one-time passwords as a CSV Excel opens correctly: UTF-8 with a byte-order mark (or Vietnamese
 * names come out garbled), CRLF line ends, fields quoted when they need it.
 */
export function credentialsCsv(rows: readonly Credential[]): string {
  const lines = [CREDENTIAL_HEADERS.join(',')]
  for (const row of rows) {
    const cells = [textCell(row.username), textCell(row.fullName), textCell(row.role), textCell(row.area), row.password]
    lines.push(cells.map(quoted).join(','))
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
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

/** Saves `text` as a file through the browser's download, without a server round trip. */
export function downloadFile(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  // The download has its own copy once started; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
