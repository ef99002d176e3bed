import type { AccountContactSettings, ContactSettings } from '@ioc/shared'
import { getJson, sendJson } from '../api.ts'

/**
 * Where notifications reach a person, and in which language: one's own (anyone logged in), and any
 * account's with its groups (permission `notification:manage`). Every failure is an `ApiRequestError`.
 */
export const contactApi = {
  own: () => getJson<ContactSettings>('/api/me/contact'),
  setOwn: (body: ContactSettings) => sendJson<ContactSettings>('PUT', '/api/me/contact', body),
  of: (username: string) => getJson<AccountContactSettings>(`/api/users/${encodeURIComponent(username)}/contact`),
  set: (username: string, body: AccountContactSettings) => sendJson<AccountContactSettings>('PUT', `/api/users/${encodeURIComponent(username)}/contact`, body),
}
