import { describe, expect, it } from 'vitest'
import { emptyWebhookForm, webhookBody, webhookFormErrors, webhookFormOf } from './webhook-form-rules.ts'
import { deliveriesPath } from './notifications-api.ts'

describe('webhook form', () => {
  const filled = { ...emptyWebhookForm(), name: 'Zalo OA Tam Kỳ', url: 'https://zalo.tamky.gov.vn/ioc' }

  it('asks for a name and an http(s) address', () => {
    expect(webhookFormErrors(filled)).toEqual({})
    expect(webhookFormErrors(emptyWebhookForm())).toEqual({ name: 'webhookForm.error.name', url: 'webhookForm.error.url' })
    for (const url of ['ftp://x', 'zalo.tamky.gov.vn', 'https://có dấu cách', 'https://']) expect(webhookFormErrors({ ...filled, url }).url).toBe('webhookForm.error.url')
  })

  it('takes a secret of 16 to 200 characters, or none', () => {
    expect(webhookFormErrors({ ...filled, secret: 'short' }).secret).toBe('webhookForm.error.secret')
    expect(webhookFormErrors({ ...filled, secret: 's'.repeat(16) })).toEqual({})
  })

  it('leaves the secret out when none is typed, so the server makes or keeps one', () => {
    expect(webhookBody({ ...filled, name: ' Zalo OA Tam Kỳ ', secret: '  ' })).toEqual({ name: 'Zalo OA Tam Kỳ', url: 'https://zalo.tamky.gov.vn/ioc', enabled: true })
    expect(webhookBody({ ...filled, secret: 'k'.repeat(20) }).secret).toBe('k'.repeat(20))
  })

  it('fills the form from a webhook, never with its secret', () => {
    expect(webhookFormOf({ id: 2, name: 'SMS', url: 'http://sms.local/send', enabled: false, updatedAt: '2026-10-30T02:00:00.000Z' })).toEqual({ name: 'SMS', url: 'http://sms.local/send', enabled: false, secret: '' })
  })
})

describe('deliveriesPath', () => {
  it('asks with only the filters set, and a whole alarm id', () => {
    expect(deliveriesPath({ status: '', alarm: '' })).toBe('/api/notifications/deliveries?limit=100')
    expect(deliveriesPath({ status: 'failed', alarm: ' 41 ' }, 50)).toBe('/api/notifications/deliveries?alarm=41&status=failed&limit=50')
    expect(deliveriesPath({ status: '', alarm: '4.1' })).toBe('/api/notifications/deliveries?limit=100')
  })
})
