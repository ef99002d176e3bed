import type { AreaCollection } from '@ioc/shared'

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
const withoutKind = (name: string) => name.replace(/^(phuong|xa|thi tran|ward|commune)\s+/, '')

/**
 * Finds a ward or commune as an administrator would write it: its GSO code (`20362`), its name
 * (`Xã Tam Thăng`, `Tam Thăng`), or the name without diacritics (`tam thang`). Null when nothing, or
 * more than one area, matches.
 */
export function createAreaLookup(areas: AreaCollection): (written: string) => string | null {
  const byCode = new Set(areas.features.map((f) => f.properties.code))
  const byName = new Map<string, string[]>()
  for (const { properties: area } of areas.features) {
    const names = new Set([fold(area.nameVi), withoutKind(fold(area.nameVi)), fold(area.nameEn), withoutKind(fold(area.nameEn))])
    for (const name of names) byName.set(name, [...(byName.get(name) ?? []), area.code])
  }
  return (written) => {
    const text = written.trim()
    if (byCode.has(text)) return text
    const codes = byName.get(fold(text)) ?? byName.get(withoutKind(fold(text)))
    return codes?.length === 1 ? codes[0]! : null
  }
}
