import type { AlarmList, AlarmView, AreaCollection, CameraView, CityDef, ReadingsResponse, StationView } from '@ioc/shared'

/**
 * Why a request failed, in terms the UI can explain: the server could not be reached, it answered
 * with an error status, or it answered something that is not the JSON we asked for.
 */
export type ApiFailure =
  | { kind: 'network'; path: string }
  /** `body`: the parsed JSON error body, for answers that carry more than a message (a 409's current value). */
  | { kind: 'http'; path: string; status: number; message: string; retryAfterS?: number; body?: unknown }
  | { kind: 'parse'; path: string }

export class ApiRequestError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(`${failure.kind} error on ${failure.path}${failure.kind === 'http' ? `: ${failure.status} ${failure.message}` : ''}`)
    this.name = 'ApiRequestError'
  }
}

/** The API's error body (`{ statusCode, error, message, … }`) and its message, or the status text when the body is not JSON. */
async function errorBody(response: Response): Promise<{ message: string; body?: unknown }> {
  try {
    const body: unknown = await response.json()
    if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return { message: body.message, body }
  } catch {
    // Not a JSON error body (a proxy's HTML page, an empty 502): fall back to the status text.
  }
  return { message: response.statusText || 'error' }
}

/**
 * What the session lends the request layer: the CSRF token that state-changing requests carry, a way
 * to fetch a fresh one, and who to tell when the server no longer knows this browser (401).
 */
export interface SessionHooks {
  csrfToken(): string | null
  /** Fetches a new token (from `/api/me`, or `/api/auth/csrf` before login). */
  refreshCsrf(): Promise<void>
  /** A request was refused with 401: the session ended (expired, revoked, logged out elsewhere). */
  unauthorized(path: string): void
}

let hooks: SessionHooks = { csrfToken: () => null, refreshCsrf: async () => {}, unauthorized: () => {} }

export function setSessionHooks(next: SessionHooks): void {
  hooks = next
}

/** The session's own endpoints answer 401 as part of their job; anywhere else a 401 means the session ended. */
const isSessionPath = (path: string) => path.startsWith('/api/auth/') || path === '/api/me'

/** Seconds from a `Retry-After` header (delta-seconds or an HTTP date), or undefined. */
export function retryAfterSeconds(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (!header) return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000))
}

async function httpFailure(path: string, response: Response): Promise<ApiRequestError> {
  const { message, body } = await errorBody(response)
  const failure: ApiFailure = { kind: 'http', path, status: response.status, message }
  if (body !== undefined) failure.body = body
  const retryAfterS = retryAfterSeconds(response.headers.get('retry-after'))
  if (retryAfterS !== undefined) failure.retryAfterS = retryAfterS
  if (response.status === 401 && !isSessionPath(path)) hooks.unauthorized(path)
  return new ApiRequestError(failure)
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, { credentials: 'same-origin', ...init })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiRequestError({ kind: 'network', path })
  }
}

async function readJson<T>(path: string, response: Response): Promise<T> {
  // 204 (logout) and other empty answers carry nothing to parse.
  if (response.status === 204 || response.headers.get('content-length') === '0') return undefined as T
  try {
    return (await response.json()) as T
  } catch {
    throw new ApiRequestError({ kind: 'parse', path })
  }
}

/** GET a same-origin JSON resource; every failure comes back as an `ApiRequestError`. */
export async function getJson<T>(path: string, init?: { signal?: AbortSignal }): Promise<T> {
  const response = await send(path, { headers: { accept: 'application/json' }, signal: init?.signal ?? null })
  if (!response.ok) throw await httpFailure(path, response)
  return readJson<T>(path, response)
}

export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Whether the server refused a request for its CSRF token (a stale one after a new login elsewhere, say). */
export const isCsrfRefusal = (error: unknown): boolean =>
  error instanceof ApiRequestError && error.failure.kind === 'http' && error.failure.status === 403 && /csrf/i.test(error.failure.message)

/**
 * A state-changing request with a JSON body (or none), carrying the session's CSRF token. A refusal
 * for the token itself is retried once with a fresh token; every failure is an `ApiRequestError`.
 */
export async function sendJson<T>(method: WriteMethod, path: string, body?: unknown, init?: { signal?: AbortSignal }): Promise<T> {
  const attempt = async () => {
    const headers: Record<string, string> = { accept: 'application/json' }
    const token = hooks.csrfToken()
    if (token) headers['x-csrf-token'] = token
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await send(path, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: init?.signal ?? null,
    })
    if (!response.ok) throw await httpFailure(path, response)
    return readJson<T>(path, response)
  }
  try {
    return await attempt()
  } catch (error) {
    if (!isCsrfRefusal(error)) throw error
    await hooks.refreshCsrf()
    return attempt()
  }
}

export const fetchCity = (signal?: AbortSignal) => getJson<CityDef>('/api/city', { signal })
export const fetchAreas = (signal?: AbortSignal) => getJson<AreaCollection>('/api/areas', { signal })
export const fetchStations = (signal?: AbortSignal) => getJson<StationView[]>('/api/stations', { signal })

/**
 * A station's water-level history between two instants; the server picks raw points or a bucket
 * (`bucket=auto`) so the answer stays small enough to draw.
 */
export function fetchStationReadings(stationId: string, range: { fromMs: number; toMs: number }, signal?: AbortSignal) {
  const query = new URLSearchParams({ from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(), bucket: 'auto' })
  return getJson<ReadingsResponse>(`/api/stations/${encodeURIComponent(stationId)}/readings?${query}`, { signal })
}

/**
 * Camera status is for logged-in staff (the server checks the role): a 401/403 means "not for this visitor",
 * which shows a map without cameras rather than an error page.
 */
export async function fetchCameras(signal?: AbortSignal): Promise<CameraView[]> {
  try {
    return await getJson<CameraView[]>('/api/cameras', { signal })
  } catch (error) {
    if (error instanceof ApiRequestError && error.failure.kind === 'http' && [401, 403].includes(error.failure.status)) return []
    throw error
  }
}

/** Alarms not yet cleared, of the types this user may see (the server filters by permission). */
export const fetchActiveAlarms = async (signal?: AbortSignal): Promise<AlarmView[]> =>
  (await getJson<AlarmList>('/api/alarms?state=active', { signal })).alarms

export interface Bootstrap {
  city: CityDef
  areas: AreaCollection
  stations: StationView[]
  cameras: CameraView[]
  alarms: AlarmView[]
}

/** Everything the first paint needs, fetched in parallel; cameras only for those who may see them. */
export async function fetchBootstrap(options: { signal?: AbortSignal; cameras?: boolean } = {}): Promise<Bootstrap> {
  const { signal, cameras: withCameras = true } = options
  const [city, areas, stations, cameras, alarms] = await Promise.all([
    fetchCity(signal),
    fetchAreas(signal),
    fetchStations(signal),
    withCameras ? fetchCameras(signal) : [],
    fetchActiveAlarms(signal),
  ])
  return { city, areas, stations, cameras, alarms }
}
