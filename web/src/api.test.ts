import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiRequestError, retryAfterSeconds, sendJson, setSessionHooks } from './api.ts'

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

afterEach(() => {
  vi.unstubAllGlobals()
  setSessionHooks({ csrfToken: () => null, refreshCsrf: async () => {}, unauthorized: () => {} })
})

describe('retryAfterSeconds', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(retryAfterSeconds('120')).toBe(120)
    expect(retryAfterSeconds('Thu, 30 Oct 2025 07:02:00 GMT', Date.parse('2025-10-30T07:00:00Z'))).toBe(120)
    expect(retryAfterSeconds(null)).toBeUndefined()
    expect(retryAfterSeconds('soon')).toBeUndefined()
  })
})

describe('sendJson', () => {
  it('sends the JSON body with the session CSRF token', async () => {
    const fetch = vi.fn(async (_path: string, _init: RequestInit) => json(201, { ok: true }))
    vi.stubGlobal('fetch', fetch)
    setSessionHooks({ csrfToken: () => 'tok-1', refreshCsrf: async () => {}, unauthorized: () => {} })
    expect(await sendJson('POST', '/api/users', { username: 'a' })).toEqual({ ok: true })
    const init = fetch.mock.calls[0]![1]
    expect(init.method).toBe('POST')
    expect(init.body).toBe('{"username":"a"}')
    expect(init.headers).toMatchObject({ 'x-csrf-token': 'tok-1', 'content-type': 'application/json' })
  })

  it('retries once with a fresh token when the server refuses the token', async () => {
    let token = 'stale'
    const tokens: string[] = []
    vi.stubGlobal('fetch', async (_path: string, init: RequestInit) => {
      tokens.push((init.headers as Record<string, string>)['x-csrf-token']!)
      return tokens.length === 1 ? json(403, { statusCode: 403, error: 'Forbidden', message: 'invalid csrf token' }) : new Response(null, { status: 204 })
    })
    setSessionHooks({ csrfToken: () => token, refreshCsrf: async () => void (token = 'fresh'), unauthorized: () => {} })
    await sendJson('POST', '/api/auth/logout')
    expect(tokens).toEqual(['stale', 'fresh'])
  })

  it('does not retry other refusals, and keeps Retry-After', async () => {
    const fetch = vi.fn(async () => json(429, { statusCode: 429, error: 'Too Many Requests', message: 'slow down' }, { 'retry-after': '90' }))
    vi.stubGlobal('fetch', fetch)
    const error = await sendJson('POST', '/api/auth/login', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiRequestError)
    expect((error as ApiRequestError).failure).toMatchObject({ kind: 'http', status: 429, retryAfterS: 90 })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('tells the session about a 401 outside the session routes', async () => {
    vi.stubGlobal('fetch', async () => json(401, { statusCode: 401, error: 'Unauthorized', message: 'log in first' }))
    const seen: string[] = []
    setSessionHooks({ csrfToken: () => null, refreshCsrf: async () => {}, unauthorized: (path) => seen.push(path) })
    await sendJson('PATCH', '/api/users/3', { disabled: true }).catch(() => {})
    await sendJson('POST', '/api/auth/login', {}).catch(() => {})
    expect(seen).toEqual(['/api/users/3'])
  })
})
