import { describe, expect, it } from 'vitest'
import { cameraImageId, HATCH_IMAGE_ID, labelImageId, parseImageId } from './image-id.ts'

describe('image ids', () => {
  it('round-trips a badge label', () => {
    expect(parseImageId(labelImageId('level2', 'BĐ2 · 235 cm'))).toEqual({ kind: 'label', variant: 'level2', text: 'BĐ2 · 235 cm' })
  })

  it('keeps colons inside the text', () => {
    expect(parseImageId(labelImageId('name', 'Trạm: Tam Kỳ'))).toEqual({ kind: 'label', variant: 'name', text: 'Trạm: Tam Kỳ' })
  })

  it('round-trips the no-data badge variant', () => {
    expect(parseImageId(labelImageId('level-1', '–'))).toEqual({ kind: 'label', variant: 'level-1', text: '–' })
  })

  it('round-trips an indicator value label and knows the no-data hatching', () => {
    expect(parseImageId(labelImageId('value', '72,5%'))).toEqual({ kind: 'label', variant: 'value', text: '72,5%' })
    expect(parseImageId(HATCH_IMAGE_ID)).toEqual({ kind: 'hatch' })
  })

  it('round-trips a cluster count, no-data level included', () => {
    expect(parseImageId(labelImageId('cluster3', '1.2k'))).toEqual({ kind: 'label', variant: 'cluster3', text: '1.2k' })
    expect(parseImageId('label:cluster-1:12')).toEqual({ kind: 'label', variant: 'cluster-1', text: '12' })
  })

  it('round-trips a camera mark', () => {
    expect(parseImageId(cameraImageId('degraded'))).toEqual({ kind: 'camera', state: 'degraded' })
  })

  it.each(['marker-15', 'label:huge:x', 'label:name:', 'label:name', 'camera:exploded'])('rejects %s, which is not ours', (id) => {
    expect(parseImageId(id)).toBeNull()
  })
})
