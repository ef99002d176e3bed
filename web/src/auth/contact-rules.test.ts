import { describe, expect, it } from 'vitest'
import { accountContactBody, accountContactFormErrors, accountContactFormOf, contactBody, contactFormErrors, parseGroups } from './contact-rules.ts'

const KNOWN = ['technicians', 'shift-leaders', 'office-heads']

describe('contact settings form', () => {
  it('accepts no email, or one the server takes', () => {
    expect(contactFormErrors({ email: '', language: 'vi' })).toEqual({})
    expect(contactFormErrors({ email: ' truc.ban@tamky.gov.vn ', language: 'vi' })).toEqual({})
    for (const email of ['truc.ban', 'a@b', 'a b@tamky.gov.vn', '@tamky.gov.vn', `${'a'.repeat(250)}@x.vn`]) {
      expect(contactFormErrors({ email, language: 'vi' }).email).toBe('contact.error.email')
    }
  })

  it('sends no email as null, and trims one', () => {
    expect(contactBody({ email: '  ', language: 'en' })).toEqual({ email: null, language: 'en' })
    expect(contactBody({ email: ' an@tamky.gov.vn ', language: 'vi' })).toEqual({ email: 'an@tamky.gov.vn', language: 'vi' })
  })
})

describe("an account's contact settings and groups", () => {
  it('ticks the known groups and keeps the others as text', () => {
    expect(accountContactFormOf({ email: null, language: 'vi', groups: ['technicians', 'truc-dem', 'office-heads'] }, KNOWN)).toEqual({
      email: '',
      language: 'vi',
      groups: ['technicians', 'office-heads'],
      otherGroups: 'truc-dem',
    })
  })

  it('reads other groups split by commas or spaces, lower-cased, each once', () => {
    expect(parseGroups(' Truc-Dem, lanh_dao  truc-dem;;')).toEqual(['truc-dem', 'lanh_dao'])
    expect(parseGroups('')).toEqual([])
  })

  it('refuses group names the server refuses, and more than ten groups', () => {
    expect(accountContactFormErrors({ email: '', language: 'vi', groups: [], otherGroups: 'trực-đêm' }).otherGroups).toBe('contact.error.groupName')
    expect(accountContactFormErrors({ email: '', language: 'vi', groups: [], otherGroups: 'x'.repeat(41) }).otherGroups).toBe('contact.error.groupName')
    const many = Array.from({ length: 9 }, (_, i) => `g${i}`).join(',')
    expect(accountContactFormErrors({ email: '', language: 'vi', groups: KNOWN, otherGroups: many }).otherGroups).toBe('contact.error.tooManyGroups')
    expect(accountContactFormErrors({ email: '', language: 'vi', groups: KNOWN, otherGroups: 'truc-dem' })).toEqual({})
  })

  it('sends the ticked groups then the typed ones, each once', () => {
    expect(accountContactBody({ email: 'ky.thuat@tamky.gov.vn', language: 'en', groups: ['technicians'], otherGroups: 'technicians, truc-dem' })).toEqual({
      email: 'ky.thuat@tamky.gov.vn',
      language: 'en',
      groups: ['technicians', 'truc-dem'],
    })
  })
})
