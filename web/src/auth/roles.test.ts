import { describe, expect, it } from 'vitest'
import { IMPORT_REFUSALS, ROLES } from '@ioc/shared'
import { translate } from '../i18n/translate.ts'
import { initials } from './initials.ts'
import { REFUSAL_LABEL, ROLE_LABEL } from './roles.ts'

describe('role wording', () => {
  it('words every role in Vietnamese and English, never as its code', () => {
    for (const role of ROLES) {
      expect(translate('vi', ROLE_LABEL[role])).not.toContain(role)
      expect(translate('en', ROLE_LABEL[role])).not.toContain('_')
    }
    expect(translate('vi', ROLE_LABEL.area_staff)).toBe('Cán bộ phường, xã')
    expect(translate('en', ROLE_LABEL.operator)).toBe('IOC operator')
  })

  it('gives every import refusal its own words', () => {
    const vi = IMPORT_REFUSALS.map((reason) => translate('vi', REFUSAL_LABEL[reason]))
    expect(new Set(vi).size).toBe(IMPORT_REFUSALS.length)
  })
})

describe('initials', () => {
  it('takes the family and the given name', () => {
    expect(initials('Nguyễn Văn An')).toBe('NA')
    expect(initials('  đặng   thị ánh ')).toBe('ĐÁ')
    expect(initials('Admin')).toBe('A')
    expect(initials('')).toBe('?')
  })
})
