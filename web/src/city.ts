import type { AreaCollection, CameraView, StationView } from '@ioc/shared'
import type { MessageKey } from './i18n/messages.ts'
import type { Lang } from './i18n/translate.ts'

/** The ward or commune's name in `lang`, or the code itself if the pack does not know it. */
export function areaName(areas: AreaCollection | null, code: string, lang: Lang): string {
  const area = areas?.features.find((f) => f.properties.code === code)
  if (!area) return code
  return lang === 'vi' ? area.properties.nameVi : area.properties.nameEn
}

/**
 * Which caveat the header must show, from the pack's own flags: approximate shapes and positions are
 * never to be read as survey data, or a citizen could take a drawn line for a legal boundary. Null
 * when everything on the map is surveyed.
 */
export function approximationNote(
  areas: AreaCollection | null,
  stations: readonly Pick<StationView, 'approximateLocation'>[],
  cameras: readonly Pick<CameraView, 'approximateLocation'>[],
): MessageKey | null {
  const shapes = areas?.features.some((f) => f.properties.approximate) ?? false
  const positions = [...stations, ...cameras].some((d) => d.approximateLocation)
  if (shapes && positions) return 'approx.both'
  if (shapes) return 'approx.areas'
  if (positions) return 'approx.positions'
  return null
}
