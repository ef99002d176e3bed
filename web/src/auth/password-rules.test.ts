import { describe, expect, it } from 'vitest'
import type { ApiFailure } from '../api.ts'
import { translate } from '../i18n/translate.ts'
import { OWN_WORDING, passwordErrors, passwordRefusal } from './password-rules.ts'

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

describe('passwordErrors, changing one\'s own password', () => {
  it('speaks of the current password, not a one-time one', () => {
    expect(passwordErrors({ current: '', next: ok, repeat: ok }, OWN_WORDING).current?.key).toBe('changePassword.error.currentRequired')
    expect(passwordErrors({ current: ok, next: ok, repeat: ok }, OWN_WORDING).next?.key).toBe('changePassword.error.sameAsCurrent')
  })
})

describe('passwordRefusal', () => {
  const refused = (message: string, status = 400): ApiFailure => ({ kind: 'http', path: '/api/auth/password', status, message })

  it("puts each of the server's English refusals on its field, in the user's language", () => {
    const wrong = passwordRefusal(refused('the current password is not right'), OWN_WORDING)
    expect(wrong.field).toBe('current')
    expect(translate('vi', wrong.error.key)).toBe('Mật khẩu hiện tại không đúng.')
    expect(passwordRefusal(refused('the new password must differ from the current one'), OWN_WORDING)).toEqual({
      field: 'next',
      error: { key: 'changePassword.error.sameAsCurrent' },
    })
    const username = passwordRefusal(refused('the new password must not contain the username'), OWN_WORDING)
    expect(username.field).toBe('next')
    expect(translate('en', username.error.key)).toBe('The new password must not contain your username.')
  })

  it('says a wrong one-time password in the first-login wording', () => {
    expect(passwordRefusal(refused('the current password is not right')).error.key).toBe('password.error.currentWrong')
  })

  it('words an unknown refusal, a network failure and a server error on the form', () => {
    expect(passwordRefusal(refused('body/newPassword must NOT have fewer than 12 characters'), OWN_WORDING)).toEqual({
      field: null,
      error: { key: 'changePassword.error.refused' },
    })
    expect(passwordRefusal({ kind: 'network', path: '/api/auth/password' }).error.key).toBe('error.network')
    expect(passwordRefusal(refused('Internal Server Error', 500))).toEqual({ field: null, error: { key: 'auth.error.server', params: { status: 500 } } })
  })
})
