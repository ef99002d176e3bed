import type { StormReport } from '@ioc/shared'
import { getJson } from '../api.ts'
import { reportQuery, type ReportWindow } from './report-window.ts'

export const fetchStormReport = (window: ReportWindow, signal?: AbortSignal) => getJson<StormReport>(`/api/reports/storm?${reportQuery(window)}`, { signal })

/** The CSV's address: a plain link, so the browser downloads it with the session's cookie and names it itself. */
export const stormReportCsvHref = (window: ReportWindow, lang: 'vi' | 'en') => `/api/reports/storm.csv?${reportQuery(window)}&headers=${lang}`
