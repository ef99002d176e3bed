import { describe, expect, it } from 'vitest'
import type { CurrentUser, SessionResponse } from '@ioc/shared'
import { ApiRequestError, type ApiFailure } from '../api.ts'
import { createSession, loginError, retryMinutes, type SessionApi } from './session.ts'

const user = (over: Partial<CurrentUser> = {}): CurrentUser => ({
  id: 7,
  username: 'nguyenvana',
  fullName: 'Nguyễn Văn An',
  role: 'operator',
  areaId: null,
  mustChangePassword: false,
  permissions: ['flood:read', 'camera:read'],
  ...over,
})
const answer = (over: Partial<CurrentUser> = {}, csrfToken = 'token-after-login'): SessionResponse => ({
  user: user(over),
  csrfToken,
  expiresAt: '2025-10-30T19:00:00.000Z',
})
const refusal = (status: number, extra: Partial<Extract<ApiFailure, { kind: 'http' }>> = {}) =>
  new ApiRequestError({ kind: 'http', path: '/api/x', status, message: 'refused', ...extra })

/** A session API whose answers the test sets; unanswered calls fail loudly. */
function fakeApi(over: Partial<SessionApi>): SessionApi {
  const missing = (name: string) => () => Promise.reject(new Error(`unexpected ${name}`))
  return {
    fetchMe: missing('fetchMe'),
    fetchLoginCsrf: () => Promise.resolve({ csrfToken: 'login-form-token' }),
    postLogin: missing('postLogin'),
    postLogout: () => Promise.resolve(),
    postPassword: missing('postPassword'),
    ...over,
  }
}

describe('loginError', () => {
  it('words each refusal by its status', () => {
    expect(loginError({ kind: 'http', path: '/api/auth/login', status: 401, message: 'x' })).toEqual({ kind: 'credentials' })
    expect(loginError({ kind: 'http', path: '/api/auth/login', status: 403, message: 'x' })).toEqual({ kind: 'disabled' })
    expect(loginError({ kind: 'http', path: '/api/auth/login', status: 429, message: 'x', retryAfterS: 600 })).toEqual({ kind: 'throttled', minutes: 10 })
    expect(loginError({ kind: 'network', path: '/api/auth/login' })).toEqual({ kind: 'network' })
    expect(loginError({ kind: 'http', path: '/api/auth/login', status: 503, message: 'x' })).toEqual({ kind: 'server', status: 503 })
  })

  it('rounds the wait up to whole minutes, at least one', () => {
    expect(retryMinutes(61)).toBe(2)
    expect(retryMinutes(5)).toBe(1)
    expect(retryMinutes(undefined)).toBe(1)
  })
})

describe('createSession', () => {
  it('is anonymous when /api/me answers 401', async () => {
    const session = createSession(fakeApi({ fetchMe: () => Promise.reject(refusal(401)) }))
    await session.check()
    expect(session.state.value).toEqual({ status: 'anonymous', notice: null })
  })

  it('waits on the server rather than showing the login page when /api/me cannot be reached', async () => {
    const session = createSession(fakeApi({ fetchMe: () => Promise.reject(new ApiRequestError({ kind: 'network', path: '/api/me' })) }))
    await session.check()
    expect(session.state.value.status).toBe('unavailable')
  })

  it('logs in with the login form token, then carries the token the session answered with', async () => {
    const sent: string[] = []
    const session = createSession(
      fakeApi({
        postLogin: (body) => {
          sent.push(session.csrfToken() ?? 'none', body.username)
          return Promise.resolve(answer())
        },
      }),
    )
    expect(await session.login('  nguyenvana ', 'secret')).toBeNull()
    expect(sent).toEqual(['login-form-token', 'nguyenvana'])
    expect(session.csrfToken()).toBe('token-after-login')
    expect(session.state.value).toMatchObject({ status: 'active', user: { username: 'nguyenvana' } })
  })

  it('reports a throttled login with the minutes to wait and stays anonymous', async () => {
    const session = createSession(fakeApi({ postLogin: () => Promise.reject(refusal(429, { retryAfterS: 300 })) }))
    expect(await session.login('nguyenvana', 'wrong')).toEqual({ kind: 'throttled', minutes: 5 })
    expect(session.state.value.status).toBe('checking')
  })

  it('remembers the one-time password only while the server asks for a new one', async () => {
    const session = createSession(
      fakeApi({
        postLogin: () => Promise.resolve(answer({ mustChangePassword: true })),
        postPassword: ({ currentPassword }) => {
          expect(currentPassword).toBe('one-time-pw')
          return Promise.resolve(answer({ mustChangePassword: false }, 'token-after-change'))
        },
      }),
    )
    await session.login('nguyenvana', 'one-time-pw')
    expect(session.oneTimePassword()).toBe('one-time-pw')
    expect(await session.changePassword('one-time-pw', 'a much longer password')).toBeNull()
    expect(session.oneTimePassword()).toBeNull()
    expect(session.csrfToken()).toBe('token-after-change')
  })

  it('goes back to the login page saying the session ended when a recheck answers 401', async () => {
    let me: () => Promise<SessionResponse> = () => Promise.resolve(answer())
    const session = createSession(fakeApi({ fetchMe: () => me() }))
    await session.check()
    me = () => Promise.reject(refusal(401))
    await session.recheck()
    expect(session.state.value).toEqual({ status: 'anonymous', notice: 'ended' })
    expect(session.csrfToken()).toBeNull()
  })

  it('says "logged out", not "session ended", when the server drops the socket during a logout', async () => {
    let finishLogout = () => {}
    const session = createSession(
      fakeApi({
        fetchMe: () => (session.state.peek().status === 'checking' ? Promise.resolve(answer()) : Promise.reject(refusal(401))),
        postLogout: () => new Promise<void>((resolve) => (finishLogout = resolve)),
      }),
    )
    await session.check()
    const leaving = session.logout()
    await session.recheck()
    finishLogout()
    await leaving
    expect(session.state.value).toEqual({ status: 'anonymous', notice: 'loggedOut' })
  })
})
