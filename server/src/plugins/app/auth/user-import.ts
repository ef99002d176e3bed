import { parse } from 'csv-parse/sync'
import { ROLES, roleNeedsArea, USERNAME_PATTERN, type ImportRefusal, type Role } from '@ioc/shared'

export interface ImportRow {
  line: number
  username: string
  fullName: string
  role: Role
  areaId: string | null
}

export interface RefusedRow {
  line: number
  username: string | null
  reason: ImportRefusal
  message: string
}

/** Headers an administrator may use, Vietnamese or English, with or without diacritics. */
const COLUMN_NAMES: Record<'username' | 'fullName' | 'role' | 'area', readonly string[]> = {
  username: ['username', 'user', 'tên đăng nhập', 'ten dang nhap'],
  fullName: ['full_name', 'full name', 'fullname', 'name', 'họ và tên', 'họ tên', 'ho va ten', 'ho ten'],
  role: ['role', 'vai trò', 'vai tro'],
  area: ['area', 'area_id', 'phường/xã', 'phuong/xa', 'địa bàn', 'dia ban'],
}
/**
 * Role words an administrator may write, mapped to roles. A Map, not an object: a cell reading
 * `constructor` or `__proto__` must find nothing, not a property every object inherits.
 */
const ROLE_WORDS: ReadonlyMap<string, Role> = new Map<string, Role>([
  ...ROLES.map((role) => [role, role] as const),
  ['area staff', 'area_staff'],
  ['cán bộ', 'staff'],
  ['cán bộ phường/xã', 'area_staff'],
  ['cán bộ phường xã', 'area_staff'],
  ['trực vận hành', 'operator'],
  ['quản trị', 'admin'],
])

const REFUSAL_TEXT: Record<ImportRefusal, string> = {
  missing_column: 'the header must name the columns username, full_name, role and area',
  invalid_username: 'username must be 2 to 64 lower-case letters, digits, . _ or -',
  duplicate_in_file: 'the same username appears earlier in the file',
  username_taken: 'an account with this username already exists',
  missing_full_name: 'full name is empty',
  full_name_too_long: 'full name is longer than 120 characters',
  invalid_role: `role must be one of ${ROLES.join(', ')}`,
  area_required: 'area staff need an area (GSO code or name of their ward or commune)',
  unknown_area: 'no ward or commune of this city has that code or name',
  area_not_allowed: 'only area_staff accounts belong to an area; leave it empty',
  malformed_row: 'the row could not be read as CSV (check its quotes)',
}
const refusal = (line: number, username: string | null, reason: ImportRefusal, detail?: string): RefusedRow => ({
  line,
  username,
  reason,
  message: detail ? `${REFUSAL_TEXT[reason]}: ${detail}` : REFUSAL_TEXT[reason],
})

const usernamePattern = new RegExp(USERNAME_PATTERN)

/**
 * Reads an account list (CSV, UTF-8, optional BOM, header row first) and checks every row on its own,
 * so one bad row never stops the rest: each row becomes an account to create or a refusal with its
 * line number and reason. `exists` says whether a username is already taken.
 */
export function checkUserImport(csv: string, exists: (username: string) => boolean, findArea: (written: string) => string | null): { rows: ImportRow[]; refused: RefusedRow[] } {
  const [header, ...body] = readLines(csv)
  if (header?.cells === null) return { rows: [], refused: [refusal(header.line, null, 'malformed_row')] }
  const columns = header ? indexColumns(header.cells) : null
  if (!columns) return { rows: [], refused: [refusal(header?.line ?? 1, null, 'missing_column')] }

  const rows: ImportRow[] = []
  const refused: RefusedRow[] = []
  const seen = new Set<string>()
  body.forEach(({ line, cells: record }) => {
    if (record === null) return refused.push(refusal(line, null, 'malformed_row'))
    const cell = (i: number | undefined) => (i === undefined ? '' : (record[i] ?? '').normalize('NFC').trim())
    const username = cell(columns.username).toLowerCase()
    const fullName = cell(columns.fullName)
    const roleWord = cell(columns.role).toLowerCase()
    const areaText = cell(columns.area)
    if (!usernamePattern.test(username)) return refused.push(refusal(line, username || null, 'invalid_username'))
    if (seen.has(username)) return refused.push(refusal(line, username, 'duplicate_in_file'))
    seen.add(username)
    if (exists(username)) return refused.push(refusal(line, username, 'username_taken'))
    if (!fullName) return refused.push(refusal(line, username, 'missing_full_name'))
    if (fullName.length > 120) return refused.push(refusal(line, username, 'full_name_too_long'))
    const role = ROLE_WORDS.get(roleWord)
    if (!role) return refused.push(refusal(line, username, 'invalid_role', JSON.stringify(roleWord)))
    let areaId: string | null = null
    if (roleNeedsArea(role)) {
      if (!areaText) return refused.push(refusal(line, username, 'area_required'))
      areaId = findArea(areaText)
      if (!areaId) return refused.push(refusal(line, username, 'unknown_area', JSON.stringify(areaText)))
    } else if (areaText) {
      return refused.push(refusal(line, username, 'area_not_allowed'))
    }
    rows.push({ line, username, fullName, role, areaId })
  })
  return { rows, refused }
}

/**
 * The non-blank lines of the file with their line numbers (1-based), each read as one CSV record, or
 * `cells: null` when it cannot be. Line by line, not as one CSV document: a stray quote would otherwise
 * make the whole file unreadable, and blank lines would shift every later line number. No cell of an
 * account list spans lines.
 */
function readLines(csv: string): Array<{ line: number; cells: string[] | null }> {
  return csv
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .flatMap<{ line: number; cells: string[] | null }>((text, index) => {
      if (text.trim() === '') return []
      try {
        const [cells = []] = parse(text, { relax_column_count: true, trim: true }) as string[][]
        return [{ line: index + 1, cells }]
      } catch {
        return [{ line: index + 1, cells: null }]
      }
    })
}

function indexColumns(header: string[]): { username: number; fullName: number; role: number; area: number | undefined } | null {
  const names = header.map((h) => h.normalize('NFC').trim().toLowerCase())
  const find = (key: keyof typeof COLUMN_NAMES) => {
    const i = names.findIndex((name) => COLUMN_NAMES[key].includes(name))
    return i === -1 ? undefined : i
  }
  const username = find('username')
  const fullName = find('fullName')
  const role = find('role')
  if (username === undefined || fullName === undefined || role === undefined) return null
  return { username, fullName, role, area: find('area') }
}
