/**
 * Every user-facing string of the dashboard. Vietnamese is the source: a key added here must be added
 * to English too, or the build fails. `{name}` marks a value filled in by `t()`.
 */
export const vi = {
  'app.title': 'Trung tâm Giám sát, điều hành đô thị thông minh',
  'app.short': 'IOC',
  'app.loading': 'Đang tải dữ liệu…',
  'app.skipToList': 'Chuyển đến danh sách trạm đo',

  'approx.both': 'Ranh giới phường, xã và vị trí thiết bị trên bản đồ là gần đúng, không phải số liệu đo đạc.',
  'approx.areas': 'Ranh giới phường, xã trên bản đồ là gần đúng, không phải số liệu đo đạc.',
  'approx.positions': 'Vị trí thiết bị trên bản đồ là gần đúng, không phải số liệu đo đạc.',

  'error.title': 'Không tải được dữ liệu',
  'error.network': 'Không kết nối được tới máy chủ IOC. Kiểm tra mạng rồi thử lại.',
  'error.http': 'Máy chủ IOC trả lỗi {status} khi tải {path}: {message}',
  'error.parse': 'Máy chủ IOC trả dữ liệu không đọc được ({path}).',
  'error.retry': 'Thử lại',

  'connection.connected': 'Đã kết nối',
  'connection.connecting': 'Đang kết nối…',
  'connection.reconnecting': 'Đang kết nối lại…',
  'connection.disconnected': 'Mất kết nối',
  'connection.label': 'Trạng thái kết nối dữ liệu trực tiếp',

  'lang.label': 'Ngôn ngữ',
  'lang.vi': 'Tiếng Việt',
  'lang.en': 'English',

  'map.label': 'Bản đồ thành phố với các trạm đo mực nước và camera',
  'map.legend': 'Chú giải',
  'map.stations': 'Trạm đo mực nước',
  'map.cameras': 'Camera giao thông',
  'map.approxBoundary': 'Ranh giới phường, xã (gần đúng)',
  'map.zoomIn': 'Phóng to',
  'map.zoomOut': 'Thu nhỏ',
  'map.fitCity': 'Xem toàn thành phố',

  'level.none': 'Dưới BĐ1',
  'level.1': 'Báo động 1 (BĐ1)',
  'level.2': 'Báo động 2 (BĐ2)',
  'level.3': 'Báo động 3 (BĐ3)',
  'level.noData': 'Chưa có số liệu',

  'stations.title': 'Trạm đo mực nước',
  'stations.empty': 'Chưa có trạm đo nào.',

  'cameras.title': 'Camera',

  'detail.close': 'Đóng',
  'detail.place': 'Vị trí',
  'detail.area': 'Phường/xã',
  'detail.current': 'Mực nước hiện tại',
  'detail.levels': 'Các cấp báo động',
  'detail.levelsOfficial': 'Giá trị chính thức',
  'detail.levelsDemo': 'Giá trị minh họa (demo): thành phố chưa công bố cấp báo động cho điểm này',
  'detail.lastReading': 'Lần đo gần nhất',
  'detail.battery': 'Pin',
  'detail.rainfall': 'Lượng mưa',
  'detail.approxLocation': 'Vị trí gần đúng',
  'detail.noReading': 'Chưa nhận được số liệu nào.',

  'camera.road': 'Tuyến đường',
  'camera.state': 'Trạng thái',
  'camera.fps': 'Tốc độ khung hình',
  'camera.bitrate': 'Tốc độ bit',
  'camera.lastFrame': 'Khung hình gần nhất',
  'camera.lastStatus': 'Cập nhật trạng thái',
  'camera.tamper': 'Can thiệp vào camera',
  'camera.tamperYes': 'Phát hiện can thiệp',
  'camera.tamperNo': 'Không phát hiện',
  'camera.noStatus': 'Chưa nhận được trạng thái nào.',
  'camera.online': 'Trực tuyến',
  'camera.degraded': 'Suy giảm',
  'camera.offline': 'Ngoại tuyến',
  'camera.unknown': 'Chưa rõ',

  'time.justNow': 'vừa xong',
} as const

export type MessageKey = keyof typeof vi
export type Messages = Record<MessageKey, string>

export const en: Messages = {
  'app.title': 'Intelligent Operations Centre',
  'app.short': 'IOC',
  'app.loading': 'Loading data…',
  'app.skipToList': 'Skip to the list of stations',

  'approx.both': 'Ward and commune boundaries and device positions on the map are approximate, not survey data.',
  'approx.areas': 'Ward and commune boundaries on the map are approximate, not survey data.',
  'approx.positions': 'Device positions on the map are approximate, not survey data.',

  'error.title': 'Could not load the data',
  'error.network': 'Cannot reach the IOC server. Check the network and try again.',
  'error.http': 'The IOC server answered {status} for {path}: {message}',
  'error.parse': 'The IOC server sent data that could not be read ({path}).',
  'error.retry': 'Try again',

  'connection.connected': 'Connected',
  'connection.connecting': 'Connecting…',
  'connection.reconnecting': 'Reconnecting…',
  'connection.disconnected': 'Disconnected',
  'connection.label': 'Live data connection status',

  'lang.label': 'Language',
  'lang.vi': 'Tiếng Việt',
  'lang.en': 'English',

  'map.label': 'Map of the city with water-level stations and cameras',
  'map.legend': 'Legend',
  'map.stations': 'Water-level stations',
  'map.cameras': 'Traffic cameras',
  'map.approxBoundary': 'Ward/commune boundary (approximate)',
  'map.zoomIn': 'Zoom in',
  'map.zoomOut': 'Zoom out',
  'map.fitCity': 'Show the whole city',

  'level.none': 'Below BĐ1',
  'level.1': 'Alarm level 1 (BĐ1)',
  'level.2': 'Alarm level 2 (BĐ2)',
  'level.3': 'Alarm level 3 (BĐ3)',
  'level.noData': 'No data yet',

  'stations.title': 'Water-level stations',
  'stations.empty': 'No stations yet.',

  'cameras.title': 'Cameras',

  'detail.close': 'Close',
  'detail.place': 'Place',
  'detail.area': 'Ward/commune',
  'detail.current': 'Current water level',
  'detail.levels': 'Alarm levels',
  'detail.levelsOfficial': 'Official values',
  'detail.levelsDemo': 'Demo values: the city has not published alarm levels for this point',
  'detail.lastReading': 'Last reading',
  'detail.battery': 'Battery',
  'detail.rainfall': 'Rainfall',
  'detail.approxLocation': 'Approximate position',
  'detail.noReading': 'No reading received yet.',

  'camera.road': 'Road',
  'camera.state': 'State',
  'camera.fps': 'Frame rate',
  'camera.bitrate': 'Bitrate',
  'camera.lastFrame': 'Last frame',
  'camera.lastStatus': 'Status updated',
  'camera.tamper': 'Tampering',
  'camera.tamperYes': 'Tampering detected',
  'camera.tamperNo': 'None detected',
  'camera.noStatus': 'No status received yet.',
  'camera.online': 'Online',
  'camera.degraded': 'Degraded',
  'camera.offline': 'Offline',
  'camera.unknown': 'Unknown',

  'time.justNow': 'just now',
}
