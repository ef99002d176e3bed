import { t } from '../i18n/lang.ts'

/** Title and close button shared by the station and camera panels. */
export function DetailHeader({ title, onClose }: { title: string; onClose: () => void }) {
  return (
    <div class="detail-head">
      <h2 id="detail-title">{title}</h2>
      <button type="button" class="close" onClick={onClose} aria-label={t('detail.close')} title={t('detail.close')}>
        ×
      </button>
    </div>
  )
}
