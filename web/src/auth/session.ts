import { signal } from '@preact/signals'
import type { CurrentUser, SessionResponse } from '@ioc/shared'
import { ApiRequestError, setSessionHooks, type ApiFailure } from '../api.ts'
import { fetchLoginCsrf, fetchMe, postLogin, postLogout, postPassword } from './auth-api.ts'

/** Why the login page is shown again: the server ended the session, or the user logged out. */
export type SessionNotice = 'ended' | 'loggedOut'

export type SessionState =
  | { status: 'checking' }
  | { status: 'anonymous'; notice: SessionNotice | null }
  /** `/api/me` failed for another reason than 401 (server down, network): nothing to decide on yet. */
  | { status: 'unavailable'; failure: ApiFailure }
  | { status: 'active'; user: CurrentUser; expiresAt: string }

/** Why a login failed, in the terms the login page words (the server's own messages are English). */
export type LoginError =
  | { kind: 'credentials' }
  | { kind: 'disabled' }
  | { kind: 'throttled'; minutes: number }
  | { kind: 'network' }
  | { kind: 'server'; status: number }

/** Minutes to announce for a `Retry-After` in seconds: rounded up, at least one. */
export const retryMinutes = (seconds: number | undefined): number => Math.max(1, Math.ceil((seconds ?? 60) / 60))

export function loginError(failure: ApiFailure): LoginError {
  if (failure.kind === 'network') return { kind: 'network' }
  if (failure.kind === 'parse') return { kind: 'server', status: 200 }
  switch (failure.status) {
    case 401:
      return { kind: 'credentials' }
    case 403:
      return { kind: 'disabled' }
    case 429:
      return { kind: 'throttled', minutes: retryMinutes(failure.retryAfterS) }
    default:
      return { kind: 'server', status: failure.status }
  }
}

const isStatus = (error: unknown, status: number): boolean =>
  error instanceof ApiRequestError && error.failure.kind === 'http' && error.failure.status === status

export interface SessionApi {
  fetchMe: typeof fetchMe
  fetchLoginCsrf: typeof fetchLoginCsrf
  postLogin: typeof postLogin
  postLogout: typeof postLogout
  postPassword: typeof postPassword
}

const httpApi: SessionApi = { fetchMe, fetchLoginCsrf, postLogin, postLogout, postPassword }

/**
 * Who is logged in, and the CSRF token of their session. The token lives in memory only (the session
 * itself is an HttpOnly cookie the page never sees); so does the one-time password typed at login,
 * kept just long enough for the "choose your password" screen not to ask for it a second time.
 */
export function createSession(api: SessionApi = httpApi) {
  const state = signal<SessionState>({ status: 'checking' })
  let csrfToken: string | null = null
  let oneTimePassword: string | null = null
  let rechecking: Promise<void> | null = null
  /** Set while logging out: the server then closes the socket too, which is no "session ended" news. */
  let leaving = false

  const begin = (response: SessionResponse) => {
    csrfToken = response.csrfToken
    if (!response.user.mustChangePassword) oneTimePassword = null
    state.value = { status: 'active', user: response.user, expiresAt: response.expiresAt }
  }
  /** Counts sessions ended, so an answer about an earlier one is not taken for the current one. */
  let ended = 0
  const end = (notice: SessionNotice | null) => {
    ended++
    csrfToken = null
    oneTimePassword = null
    state.value = { status: 'anonymous', notice }
  }
  const active = () => state.peek().status === 'active'

  const session = {
    state,
    csrfToken: () => csrfToken,
    oneTimePassword: () => oneTimePassword,

    /** At start: is this browser already logged in? */
    async check(): Promise<void> {
      state.value = { status: 'checking' }
      try {
        begin(await api.fetchMe())
      } catch (error) {
        if (isStatus(error, 401)) return end(null)
        if (!(error instanceof ApiRequestError)) throw error
        state.value = { status: 'unavailable', failure: error.failure }
      }
    },

    /**
     * The server hinted that the session may be over (it closed the socket, or answered 401):
     * ask `/api/me`, and go back to the login page only if it says so. Concurrent calls share one request.
     */
    recheck(): Promise<void> {
      if (!active() || leaving) return Promise.resolve()
      const asked = ended
      const current = () => asked === ended && !leaving
      rechecking ??= api
        .fetchMe()
        .then(
          (response) => {
            if (current()) begin(response)
          },
          (error: unknown) => {
            if (isStatus(error, 401) && current()) end('ended')
            // Anything else (a network blip while the server restarts) says nothing about the session.
          },
        )
        .finally(() => (rechecking = null))
      return rechecking
    },

    async refreshCsrf(): Promise<void> {
      if (active()) begin(await api.fetchMe())
      else csrfToken = (await api.fetchLoginCsrf()).csrfToken
    },

    /** Null when logged in; otherwise why not. */
    async login(username: string, password: string): Promise<LoginError | null> {
      try {
        if (!csrfToken) csrfToken = (await api.fetchLoginCsrf()).csrfToken
        const response = await api.postLogin({ username: username.trim(), password })
        oneTimePassword = response.user.mustChangePassword ? password : null
        begin(response)
        return null
      } catch (error) {
        if (!(error instanceof ApiRequestError)) throw error
        return loginError(error.failure)
      }
    },

    /** Ends the session here even when the server cannot be told (its cookie then expires on its own). */
    async logout(): Promise<void> {
      leaving = true
      try {
        await api.postLogout()
      } catch (error) {
        if (!(error instanceof ApiRequestError)) throw error
      } finally {
        leaving = false
      }
      end('loggedOut')
    },

    /** Null when changed (the session goes on with the new password); otherwise the server's refusal. */
    async changePassword(currentPassword: string, newPassword: string): Promise<ApiFailure | null> {
      try {
        begin(await api.postPassword({ currentPassword, newPassword }))
        return null
      } catch (error) {
        if (!(error instanceof ApiRequestError)) throw error
        if (error.failure.kind === 'http' && error.failure.status === 401) end('ended')
        return error.failure
      }
    },
  }
  return session
}

export type Session = ReturnType<typeof createSession>

export const session = createSession()

setSessionHooks({
  csrfToken: session.csrfToken,
  refreshCsrf: session.refreshCsrf,
  unauthorized: () => void session.recheck(),
})
