import type { AlarmDetail, AlarmList, AlarmView, AckBody } from '@ioc/shared'
import { getJson, sendJson } from '../api.ts'
import type { LinkStatus } from './alarm-link.ts'

/** Acknowledges an alarm with a note (`alarm:ack`); the server answers with the alarm as it now is. */
export const acknowledgeAlarm = (id: number, note: string, signal?: AbortSignal) =>
  sendJson<AlarmView>('POST', `/api/alarms/${id}/ack`, { note } satisfies AckBody, { signal })

/** One alarm and its history (to tell who acknowledged it first, after a 409). */
export const fetchAlarm = (id: number, signal?: AbortSignal) => getJson<AlarmDetail>(`/api/alarms/${id}`, { signal })

/** Every alarm raised at a station in a time window, cleared ones included (the chart marks them). */
export async function fetchStationAlarms(stationId: string, range: { fromMs: number; toMs: number }, signal?: AbortSignal): Promise<AlarmView[]> {
  const query = new URLSearchParams({ station: stationId, from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString() })
  return (await getJson<AlarmList>(`/api/alarms?${query}`, { signal })).alarms
}

/**
 * Whether a notification's link to an alarm is the IOC's own and still fresh. A link without its
 * expiry or signature is not asked about: it is invalid.
 */
export async function checkAlarmLink(id: number, exp: number | null, sig: string | null, signal?: AbortSignal): Promise<LinkStatus> {
  if (exp === null || sig === null) return 'invalid'
  const query = new URLSearchParams({ exp: String(exp), sig })
  return (await getJson<{ link: LinkStatus }>(`/api/notifications/links/${id}?${query}`, { signal })).link
}
