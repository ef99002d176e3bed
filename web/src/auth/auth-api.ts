import type { ChangePasswordBody, CsrfResponse, LoginBody, SessionResponse } from '@ioc/shared'
import { getJson, sendJson } from '../api.ts'

/** The session endpoints; every failure is an `ApiRequestError`. */
export const fetchMe = () => getJson<SessionResponse>('/api/me')
export const fetchLoginCsrf = () => getJson<CsrfResponse>('/api/auth/csrf')
export const postLogin = (body: LoginBody) => sendJson<SessionResponse>('POST', '/api/auth/login', body)
export const postLogout = () => sendJson<void>('POST', '/api/auth/logout')
export const postPassword = (body: ChangePasswordBody) => sendJson<SessionResponse>('POST', '/api/auth/password', body)
