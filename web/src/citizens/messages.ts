/**
 * The public flood page's words, Vietnamese first. Its own small catalogue: the dashboard's is far
 * larger and would weigh on a cheap phone for strings this page never shows. The advice for each alarm
 * level is not here: it is the city's text, in the city pack (`floodAdvice`), sent with the data.
 */
import type { Lang } from '../i18n/locale.ts'

const vi = {
  'page.title': 'Mực nước lũ',
  'page.intro': 'Mực nước tại các điểm cảnh báo lũ, cập nhật trực tiếp từ cảm biến.',
  'lang.switch': 'English',
  'conn.connecting': 'Đang kết nối…',
  'conn.live': 'Trực tiếp',
  'conn.offline': 'Mất kết nối — đang kết nối lại…',
  'conn.updatedAt': 'Cập nhật lúc {time}',
  'conn.notYet': 'Chưa tải được số liệu',
  'load.failed': 'Chưa tải được số liệu. Trang sẽ tự thử lại.',
  'load.loading': 'Đang tải số liệu…',
  'summary.none': 'Hiện không có điểm nào ở mức báo động.',
  'summary.some': '{count} điểm đang ở mức báo động.',
  'warnings.title': 'Cảnh báo lũ',
  'warnings.rapidRise': 'Nước lên nhanh: {rate} cm/giờ',
  'warnings.meaning': 'Ý nghĩa',
  'warnings.action': 'Cần làm',
  'points.title': 'Các điểm đo',
  'level.noData': 'Chưa có số liệu',
  'level.0': 'Dưới BĐ1',
  'level.1': 'Báo động I (BĐ1)',
  'level.2': 'Báo động II (BĐ2)',
  'level.3': 'Báo động III (BĐ3)',
  'point.current': 'Mực nước hiện tại',
  'point.measured': 'Đo {ago}',
  'point.stale': 'Chưa nhận được số liệu mới',
  'point.levels': 'Mức báo động',
  'point.share': 'Liên kết tới điểm này',
  'trend.rising': 'Đang lên {rate} cm/giờ',
  'trend.falling': 'Đang xuống {rate} cm/giờ',
  'trend.steady': 'Ổn định',
  'spark.label': 'Mực nước 24 giờ qua: thấp nhất {min}, cao nhất {max}',
  'spark.none': 'Chưa đủ số liệu 24 giờ qua',
  'map.show': 'Xem bản đồ',
  'map.hide': 'Ẩn bản đồ',
  'map.loading': 'Đang tải bản đồ…',
  'map.failed': 'Không tải được bản đồ.',
  'map.note': 'Vị trí trên bản đồ là gần đúng. Danh sách bên dưới có đủ thông tin.',
  'footer.note': 'Số liệu đo tự động, chỉ để tham khảo. Hãy làm theo hướng dẫn của chính quyền địa phương.',
}

export type PublicMessageKey = keyof typeof vi

const en: Record<PublicMessageKey, string> = {
  'page.title': 'Flood water levels',
  'page.intro': 'Water levels at the flood-warning points, live from the sensors.',
  'lang.switch': 'Tiếng Việt',
  'conn.connecting': 'Connecting…',
  'conn.live': 'Live',
  'conn.offline': 'Connection lost — reconnecting…',
  'conn.updatedAt': 'Updated at {time}',
  'conn.notYet': 'No data loaded yet',
  'load.failed': 'Could not load the data yet. The page will try again.',
  'load.loading': 'Loading the data…',
  'summary.none': 'No point is at an alarm level now.',
  'summary.some': '{count} point(s) at an alarm level.',
  'warnings.title': 'Flood warnings',
  'warnings.rapidRise': 'Water rising fast: {rate} cm/h',
  'warnings.meaning': 'What it means',
  'warnings.action': 'What to do',
  'points.title': 'Measuring points',
  'level.noData': 'No data yet',
  'level.0': 'Below BĐ1',
  'level.1': 'Alarm level I (BĐ1)',
  'level.2': 'Alarm level II (BĐ2)',
  'level.3': 'Alarm level III (BĐ3)',
  'point.current': 'Current water level',
  'point.measured': 'Measured {ago}',
  'point.stale': 'No new data received',
  'point.levels': 'Alarm levels',
  'point.share': 'Link to this point',
  'trend.rising': 'Rising {rate} cm/h',
  'trend.falling': 'Falling {rate} cm/h',
  'trend.steady': 'Steady',
  'spark.label': 'Water level over the last 24 hours: lowest {min}, highest {max}',
  'spark.none': 'Not enough data for the last 24 hours',
  'map.show': 'Show the map',
  'map.hide': 'Hide the map',
  'map.loading': 'Loading the map…',
  'map.failed': 'Could not load the map.',
  'map.note': 'Positions on the map are approximate. The list below has all the information.',
  'footer.note': 'Automatic measurements, for information only. Follow the directions of your local authorities.',
}

const catalogues: Record<Lang, Record<PublicMessageKey, string>> = { vi, en }

/** The message for `key` in `lang`, each `{name}` replaced by `params.name`. */
export function message(lang: Lang, key: PublicMessageKey, params?: Record<string, string | number>): string {
  const template = catalogues[lang][key]
  return params ? template.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : template
}
