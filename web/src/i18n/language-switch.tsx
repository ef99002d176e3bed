import { lang, setLang, t } from './lang.ts'
import { LANGS } from './translate.ts'

export function LanguageSwitch() {
  return (
    <div class="lang-switch" role="group" aria-label={t('lang.label')}>
      {LANGS.map((code) => (
        <button
          type="button"
          key={code}
          lang={code}
          aria-pressed={lang.value === code}
          title={t(`lang.${code}`)}
          onClick={() => setLang(code)}
        >
          {code.toUpperCase()}
        </button>
      ))}
    </div>
  )
}
