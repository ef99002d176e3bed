import type { AreaCollection } from '@ioc/shared'
import { LOCALE, type Lang } from '../i18n/translate.ts'

export interface AreaOption {
  id: string
  name: string
}

/** The city's wards and communes for a picker, by name in `lang`. */
export function areaOptions(areas: AreaCollection | null, lang: Lang): AreaOption[] {
  if (!areas) return []
  const collator = new Intl.Collator(LOCALE[lang])
  return areas.features
    .map(({ properties: p }) => ({ id: p.code, name: lang === 'vi' ? p.nameVi : p.nameEn }))
    .sort((a, b) => collator.compare(a.name, b.name))
}
