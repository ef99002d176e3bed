import type { MessageKey } from '../i18n/messages.ts'
import type { AdminScreen } from '../route.ts'

/** Each administration screen's name in the menus (the header's user menu, the admin tabs). */
export const ADMIN_SCREEN_LABEL: Readonly<Record<AdminScreen, MessageKey>> = {
  users: 'nav.users',
  stations: 'nav.stations',
  audit: 'nav.audit',
  rules: 'nav.rules',
  roster: 'nav.roster',
  webhooks: 'nav.webhooks',
  deliveries: 'nav.deliveries',
}
