import { describe, expect, it } from 'vitest'
import { en, vi } from './messages.ts'
import { isLang, translate } from './translate.ts'

describe('translate', () => {
  it('fills named parameters', () => {
    expect(translate('en', 'error.parse', { path: '/api/areas' })).toBe('The IOC server sent data that could not be read (/api/areas).')
  })

  it('leaves a placeholder without a value visible instead of printing "undefined"', () => {
    expect(translate('vi', 'error.http', { status: 503 })).toBe('Máy chủ IOC trả lỗi 503 khi tải {path}: {message}')
  })

  it('speaks Vietnamese with its diacritics', () => {
    expect(translate('vi', 'connection.reconnecting')).toBe('Đang kết nối lại…')
  })
})

describe('catalogues', () => {
  it('English has a non-empty text for every Vietnamese key', () => {
    for (const key of Object.keys(vi) as Array<keyof typeof vi>) expect(en[key], key).toMatch(/\S/)
  })

  it('English uses the same placeholders as Vietnamese', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const key of Object.keys(vi) as Array<keyof typeof vi>) expect(names(en[key]), key).toEqual(names(vi[key]))
  })
})

describe('isLang', () => {
  it('accepts the two languages and nothing else', () => {
    expect([isLang('vi'), isLang('en'), isLang('fr'), isLang(null)]).toEqual([true, true, false, false])
  })
})
