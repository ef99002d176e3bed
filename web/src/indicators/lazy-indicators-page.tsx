import { lazyPage } from '../ui/lazy-page.tsx'

/** The indicator view, loaded on first use: the flood map's first paint does not wait for it. */
export const LazyIndicatorsPage = lazyPage(() => import('./indicators-page.tsx').then((module) => module.IndicatorsPage), { path: 'indicators', loading: 'indicators.loading' })
