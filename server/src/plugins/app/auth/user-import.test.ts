import { describe, expect, it } from 'vitest'
import type { ImportRefusal } from '@ioc/shared'
import { loadCityPack } from '@ioc/shared/city-packs'
import { createAreaLookup } from './area-lookup.ts'
import { checkUserImport } from './user-import.ts'

const findArea = createAreaLookup(loadCityPack('tam-ky').areas)
const TAM_THANG = '20362'
const HOA_HUONG = '20344'

/** Checks `csv` against a store that already holds the account `admin`. */
const check = (csv: string) => checkUserImport(csv, (username) => username === 'admin', findArea)

const ENGLISH_HEADER = 'username,full_name,role,area'

describe('checkUserImport', () => {
  it('reads a file with a BOM and Vietnamese headers', () => {
    const csv = '\uFEFFTên đăng nhập,Họ và tên,Vai trò,Phường/Xã\nnguyenvana,Nguyễn Văn A,staff,\ntranthib,Trần Thị B,area_staff,20362\n'
    expect(check(csv)).toEqual({
      rows: [
        { line: 2, username: 'nguyenvana', fullName: 'Nguyễn Văn A', role: 'staff', areaId: null },
        { line: 3, username: 'tranthib', fullName: 'Trần Thị B', role: 'area_staff', areaId: TAM_THANG },
      ],
      refused: [],
    })
  })

  it('reads a file with English headers', () => {
    const csv = `${ENGLISH_HEADER}\nlevanc,Lê Văn C,operator,\nphamthid,Phạm Thị D,admin,\n`
    expect(check(csv)).toEqual({
      rows: [
        { line: 2, username: 'levanc', fullName: 'Lê Văn C', role: 'operator', areaId: null },
        { line: 3, username: 'phamthid', fullName: 'Phạm Thị D', role: 'admin', areaId: null },
      ],
      refused: [],
    })
  })

  it('reads headers written without diacritics, in any case and order', () => {
    const csv = 'Vai tro,Ho va ten,Phuong/Xa,Ten dang nhap\nstaff,Nguyễn Văn A,,nguyenvana\n'
    expect(check(csv).rows).toEqual([{ line: 2, username: 'nguyenvana', fullName: 'Nguyễn Văn A', role: 'staff', areaId: null }])
  })

  it('lower-cases usernames', () => {
    const csv = `${ENGLISH_HEADER}\nNguyenVanA,Nguyễn Văn A,staff,\n`
    expect(check(csv).rows.map((row) => row.username)).toEqual(['nguyenvana'])
  })

  it('reads Vietnamese role words', () => {
    const csv = `${ENGLISH_HEADER}\na1,Một,Cán bộ,\na2,Hai,Cán bộ phường/xã,${HOA_HUONG}\na3,Ba,Trực vận hành,\na4,Bốn,Quản trị,\n`
    expect(check(csv).rows.map((row) => row.role)).toEqual(['staff', 'area_staff', 'operator', 'admin'])
  })

  it('accepts a full name of exactly 120 characters', () => {
    const fullName = 'Ă'.repeat(120)
    expect(check(`${ENGLISH_HEADER}\nnguyenvana,${fullName},staff,\n`).rows).toMatchObject([{ fullName }])
  })

  /** Each bad row sits between two good ones: it is refused at its own line and both neighbours still go through. */
  it.each<{ reason: ImportRefusal; row: string; username: string | null }>([
    { reason: 'invalid_username', row: 'nguyễn.a,Nguyễn A,staff,', username: 'nguyễn.a' },
    { reason: 'invalid_username', row: ',Không Tên,staff,', username: null },
    { reason: 'invalid_username', row: 'a,Quá Ngắn,staff,', username: 'a' },
    { reason: 'duplicate_in_file', row: 'First.Row,Lặp Lại,staff,', username: 'first.row' },
    { reason: 'username_taken', row: 'Admin,Trùng Tên,staff,', username: 'admin' },
    { reason: 'missing_full_name', row: 'nguyenvana,,staff,', username: 'nguyenvana' },
    { reason: 'missing_full_name', row: 'nguyenvana,   ,staff,', username: 'nguyenvana' },
    { reason: 'full_name_too_long', row: `nguyenvana,${'Ă'.repeat(121)},staff,`, username: 'nguyenvana' },
    { reason: 'invalid_role', row: 'nguyenvana,Nguyễn Văn A,chief,', username: 'nguyenvana' },
    { reason: 'invalid_role', row: 'nguyenvana,Nguyễn Văn A,,', username: 'nguyenvana' },
    { reason: 'area_required', row: 'nguyenvana,Nguyễn Văn A,area_staff,', username: 'nguyenvana' },
    { reason: 'unknown_area', row: 'nguyenvana,Nguyễn Văn A,area_staff,Hội An', username: 'nguyenvana' },
    { reason: 'area_not_allowed', row: `nguyenvana,Nguyễn Văn A,staff,${TAM_THANG}`, username: 'nguyenvana' },
    { reason: 'area_not_allowed', row: 'nguyenvana,Nguyễn Văn A,admin,Tam Thăng', username: 'nguyenvana' },
    { reason: 'malformed_row', row: 'nguyenvana,Nguyễn Văn "Tí",staff,', username: null },
  ])('refuses $reason at its line and goes on with the other rows: $row', ({ reason, row, username }) => {
    const csv = `${ENGLISH_HEADER}\nfirst.row,Hàng Đầu,staff,\n${row}\nlast.row,Hàng Cuối,area_staff,Tam Thăng\n`
    const { rows, refused } = check(csv)
    expect(refused).toEqual([{ line: 3, username, reason, message: expect.any(String) }])
    expect(rows.map((r) => [r.line, r.username])).toEqual([
      [2, 'first.row'],
      [4, 'last.row'],
    ])
  })

  it('refuses a row whose quote never closes at its line, keeping the rows before it', () => {
    const csv = `${ENGLISH_HEADER}\nnguyenvana,Nguyễn Văn A,staff,\ntranthib,"Trần Thị B,staff,\n`
    const { rows, refused } = check(csv)
    expect(rows.map((r) => r.username)).toEqual(['nguyenvana'])
    expect(refused).toMatchObject([{ line: 3, reason: 'malformed_row' }])
  })

  it('reports every bad row of a file, each once, in line order', () => {
    const csv = [ENGLISH_HEADER, 'x,Quá Ngắn,staff,', 'ok.one,Tốt,staff,', 'ok.one,Lặp,staff,', 'admin,Trùng,staff,', 'ok.two,Tốt,boss,', 'ok.three,Tốt,area_staff,'].join('\n')
    const { rows, refused } = check(csv)
    expect(rows.map((r) => r.line)).toEqual([3])
    expect(refused.map((r) => [r.line, r.reason])).toEqual([
      [2, 'invalid_username'],
      [4, 'duplicate_in_file'],
      [5, 'username_taken'],
      [6, 'invalid_role'],
      [7, 'area_required'],
    ])
  })

  it('counts lines as they are in the file: blank lines and Windows line ends included', () => {
    const csv = `${ENGLISH_HEADER}\r\n\r\nnguyenvana,Nguyễn Văn A,staff,\r\n\r\n\r\nx,Quá Ngắn,staff,\r\ntranthib,Trần Thị B,staff,\r\n`
    const { rows, refused } = check(csv)
    expect(rows.map((r) => [r.line, r.username])).toEqual([
      [3, 'nguyenvana'],
      [7, 'tranthib'],
    ])
    expect(refused.map((r) => [r.line, r.reason])).toEqual([[6, 'invalid_username']])
  })

  it.each([
    ['a header without a role column', 'username,full_name,area\nnguyenvana,Nguyễn Văn A,\n'],
    ['a header without a username column', 'họ và tên,vai trò\nNguyễn Văn A,staff\n'],
    ['a header of unknown words', 'ten,ho,chuc vu,noi\nnguyenvana,Nguyễn Văn A,staff,\n'],
    ['an empty file', ''],
    ['a file with only a BOM', '\uFEFF'],
  ])('refuses the whole file as missing_column at line 1 for %s', (_case, csv) => {
    expect(check(csv)).toEqual({ rows: [], refused: [{ line: 1, username: null, reason: 'missing_column', message: expect.any(String) }] })
  })

  it('refuses the whole file as malformed_row at line 1 when the header cannot be read', () => {
    expect(check('username,"full_name,role,area\nnguyenvana,Nguyễn Văn A,staff,\n')).toEqual({
      rows: [],
      refused: [{ line: 1, username: null, reason: 'malformed_row', message: expect.any(String) }],
    })
  })

  it('needs no area column when no row is area staff', () => {
    expect(check('username,full_name,role\nnguyenvana,Nguyễn Văn A,staff\n').rows).toHaveLength(1)
  })

  it.each(['20362', 'Xã Tam Thăng', 'Tam Thăng', 'tam thang', 'Tam Thăng Commune'])('takes the area as code or name: %s', (area) => {
    const { rows, refused } = check(`${ENGLISH_HEADER}\ntranthib,Trần Thị B,area_staff,${area}\n`)
    expect(refused).toEqual([])
    expect(rows).toMatchObject([{ username: 'tranthib', areaId: TAM_THANG }])
  })

  it('stores names typed in decomposed Unicode (NFD) in composed form (NFC)', () => {
    const csv = `${ENGLISH_HEADER}\nnguyenvana,Nguyễn Văn Ánh,Cán bộ phường/xã,Xã Tam Thăng\n`.normalize('NFD')
    const { rows, refused } = check(csv)
    expect(refused).toEqual([])
    expect(rows).toEqual([{ line: 2, username: 'nguyenvana', fullName: 'Nguyễn Văn Ánh'.normalize('NFC'), role: 'area_staff', areaId: TAM_THANG }])
    expect(rows[0]!.fullName).not.toBe('Nguyễn Văn Ánh'.normalize('NFD'))
  })

  it('reads Vietnamese headers typed in decomposed Unicode (NFD)', () => {
    const csv = 'Tên đăng nhập,Họ và tên,Vai trò,Phường/Xã'.normalize('NFD') + '\nnguyenvana,Nguyễn Văn A,staff,\n'
    expect(check(csv).rows).toHaveLength(1)
  })

  it('trims spaces around cells and reads quoted cells with commas', () => {
    const csv = `${ENGLISH_HEADER}\n  nguyenvana ,  "Nguyễn, Văn A"  , staff ,  \n`
    expect(check(csv).rows).toEqual([{ line: 2, username: 'nguyenvana', fullName: 'Nguyễn, Văn A', role: 'staff', areaId: null }])
  })

  describe('names every object inherits, as cells and headers', () => {
    const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty']

    it.each(INHERITED)('refuses the role "%s" as an unknown role, and the result is plain JSON', (word) => {
      const result = check(`${ENGLISH_HEADER}\nfirst.row,Hàng Đầu,staff,\nnguyenvana,Nguyễn Văn A,${word},\nlast.row,Hàng Cuối,operator,\n`)
      expect(result).toEqual({
        rows: [
          { line: 2, username: 'first.row', fullName: 'Hàng Đầu', role: 'staff', areaId: null },
          { line: 4, username: 'last.row', fullName: 'Hàng Cuối', role: 'operator', areaId: null },
        ],
        refused: [{ line: 3, username: 'nguyenvana', reason: 'invalid_role', message: `role must be one of staff, area_staff, operator, admin: "${word.toLowerCase()}"` }],
      })
      expect(JSON.parse(JSON.stringify(result))).toEqual(result)
    })

    it.each(INHERITED)('refuses the area "%s" as unknown', (word) => {
      const { rows, refused } = check(`${ENGLISH_HEADER}\nnguyenvana,Nguyễn Văn A,area_staff,${word}\n`)
      expect(rows).toEqual([])
      expect(refused).toEqual([{ line: 2, username: 'nguyenvana', reason: 'unknown_area', message: expect.stringContaining(JSON.stringify(word)) }])
    })

    it.each(INHERITED)('reads no column from a header "%s"', (word) => {
      expect(check(`username,full_name,${word}\nnguyenvana,Nguyễn Văn A,staff\n`)).toEqual({
        rows: [],
        refused: [{ line: 1, username: null, reason: 'missing_column', message: expect.any(String) }],
      })
      // An extra column of that name beside the real ones changes nothing.
      expect(check(`username,full_name,role,${word}\nnguyenvana,Nguyễn Văn A,staff,x\n`).rows).toEqual([{ line: 2, username: 'nguyenvana', fullName: 'Nguyễn Văn A', role: 'staff', areaId: null }])
    })
  })
})
