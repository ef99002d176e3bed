import type { AreaCollection, CameraView, CityDef, ReadingsResponse, StationView } from '@ioc/shared'

/**
 * Why a request failed, in terms the UI can explain: the server could not be reached, it answered
 * with an error status, or it answered something that is not the JSON we asked for.
 */
export type ApiFailure =
  | { kind: 'network'; path: string }
  | { kind: 'http'; path: string; status: number; message: string }
  | { kind: 'parse'; path: string }

export class ApiRequestError extends Error {
  constructor(readonly failure: ApiFailure) {
    super(`${failure.kind} error on ${failure.path}${failure.kind === 'http' ? `: ${failure.status} ${failure.message}` : ''}`)
    this.name = 'ApiRequestError'
  }
}

/** The API's error body (`{ statusCode, error, message }`), or the status text when the body is not JSON. */
async function errorMessage(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json()
    if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message
  } catch {
    // Not a JSON error body (a proxy's HTML page, an empty 502): fall back to the status text.
  }
  return response.statusText || 'error'
}

/** GET a same-origin JSON resource; every failure comes back as an `ApiRequestError`. */
export async function getJson<T>(path: string, init?: { signal?: AbortSignal }): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal: init?.signal ?? null })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    throw new ApiRequestError({ kind: 'network', path })
  }
  if (!response.ok) {
    throw new ApiRequestError({ kind: 'http', path, status: response.status, message: await errorMessage(response) })
  }
  try {
    return (await response.json()) as T
  } catch {
    throw new ApiRequestError({ kind: 'parse', path })
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
 * Camera status is for logged-in staff (design.md roles): a 401/403 means "not for this visitor",
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

export interface Bootstrap {
  city: CityDef
  areas: AreaCollection
  stations: StationView[]
  cameras: CameraView[]
}

/** Everything the first paint needs, fetched in parallel. */
export async function fetchBootstrap(signal?: AbortSignal): Promise<Bootstrap> {
  const [city, areas, stations, cameras] = await Promise.all([
    fetchCity(signal),
    fetchAreas(signal),
    fetchStations(signal),
    fetchCameras(signal),
  ])
  return { city, areas, stations, cameras }
}
