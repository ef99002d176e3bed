import { describe, expect, it } from 'vitest'
import { credentialsCsv, credentialsFileName } from './credentials-csv.ts'

const row = { username: 'nguyenvana', fullName: 'Nguyễn Văn An', role: 'Cán bộ phường, xã', area: 'Xã Tam Thăng', password: 'Gx7-kP2q_mW9zR' }

describe('credentialsCsv', () => {
  it('starts with a UTF-8 byte-order mark and the Vietnamese headers', () => {
    const csv = credentialsCsv([row])
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    expect(csv.slice(1).split('\r\n')[0]).toBe('Tên đăng nhập,Họ và tên,Vai trò,Phường/xã,Mật khẩu một lần')
  })

  it('writes one CRLF-ended line per account, quoting fields with commas or quotes', () => {
    const lines = credentialsCsv([row, { ...row, username: 'b', fullName: 'Lê "Bé" Ba' }]).slice(1).split('\r\n')
    expect(lines[1]).toBe('nguyenvana,Nguyễn Văn An,"Cán bộ phường, xã",Xã Tam Thăng,Gx7-kP2q_mW9zR')
    expect(lines[2]).toBe('b,"Lê ""Bé"" Ba","Cán bộ phường, xã",Xã Tam Thăng,Gx7-kP2q_mW9zR')
    expect(lines[3]).toBe('')
  })

  it('keeps a name that looks like a formula as text, and a password exactly as issued', () => {
    const line = credentialsCsv([{ ...row, fullName: '=HYPERLINK("x")', password: '-starts-with-dash' }]).slice(1).split('\r\n')[1]
    expect(line).toBe(`nguyenvana,"'=HYPERLINK(""x"")","Cán bộ phường, xã",Xã Tam Thăng,-starts-with-dash`)
  })
})

describe('credentialsFileName', () => {
  it('is dated in the city time zone', () => {
    expect(credentialsFileName(new Date('2025-10-30T17:05:00Z'), 'Asia/Ho_Chi_Minh')).toBe('mat-khau-mot-lan-20251031-0005.csv')
  })
})
