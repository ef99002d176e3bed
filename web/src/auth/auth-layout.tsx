import type { ComponentChildren } from 'preact'
import { t } from '../i18n/lang.ts'
import { LanguageSwitch } from '../i18n/language-switch.tsx'

/** The frame of the screens shown before the dashboard: login and choosing a password. */
export function AuthLayout({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <>
      <header class="app-header">
        <div class="brand">
          <p class="brand-title">
            {t('app.short')}
            <span class="brand-sub">{t('app.title')}</span>
          </p>
        </div>
        <div class="header-tools">
          <LanguageSwitch />
        </div>
      </header>
      <main class="auth-page">
        <section class="auth-card" aria-labelledby="auth-title">
          <h1 id="auth-title">{title}</h1>
          {children}
        </section>
      </main>
    </>
  )
}
