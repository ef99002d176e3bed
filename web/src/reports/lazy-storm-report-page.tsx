import { lazyPage } from '../ui/lazy-page.tsx'

/** The storm report, loaded on first use: the flood map's first paint does not wait for it. */
export const LazyStormReportPage = lazyPage(() => import('./storm-report-page.tsx').then((module) => module.StormReportPage), { path: 'reports', loading: 'report.loading' })
