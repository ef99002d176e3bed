import { describe, expect, it } from 'vitest'
import { passwordErrors } from './password-rules.ts'

const ok = 'sông Tam Kỳ mùa lũ'

describe('passwordErrors', () => {
  it('accepts a long enough new password typed twice', () => {
    expect(passwordErrors({ current: 'one-time-pw', next: ok, repeat: ok })).toEqual({})
  })

  it('asks for at least 12 characters, counted as characters (not bytes)', () => {
    expect(passwordErrors({ current: 'x', next: 'ngắn', repeat: 'ngắn' }).next?.key).toBe('password.error.tooShort')
    const twelve = 'ạạạạạạạạạạạạ'
    expect(passwordErrors({ current: 'x', next: twelve, repeat: twelve })).toEqual({})
  })

  it('refuses more than 256 characters', () => {
    const long = 'a'.repeat(257)
    expect(passwordErrors({ current: 'x', next: long, repeat: long }).next?.key).toBe('password.error.tooLong')
  })

  it('refuses keeping the one-time password', () => {
    expect(passwordErrors({ current: ok, next: ok, repeat: ok }).next?.key).toBe('password.error.sameAsCurrent')
  })

  it('says when the two entries differ, or the second is missing', () => {
    expect(passwordErrors({ current: 'x', next: ok, repeat: `${ok}!` }).repeat?.key).toBe('password.error.mismatch')
    expect(passwordErrors({ current: 'x', next: ok, repeat: '' }).repeat?.key).toBe('password.error.repeatRequired')
  })

  it('asks for the one-time password when it is not remembered', () => {
    expect(passwordErrors({ current: '', next: ok, repeat: ok }).current?.key).toBe('password.error.currentRequired')
  })
})
