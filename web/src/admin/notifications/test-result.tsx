import { t } from '../../i18n/lang.ts'
import type { SendTestResult } from './notifications-api.ts'

/** What a test send answered: sent or not, in words and colour, and the receiver's or mail server's own answer. */
export function TestResult({ result, testId }: { result: SendTestResult; testId: string }) {
  return (
    <div class={`test-result ${result.ok ? 'ok' : 'failed'}`} data-testid={testId} data-ok={String(result.ok)}>
      <strong>
        <span aria-hidden="true">{result.ok ? '✓ ' : '✗ '}</span>
        {t(result.ok ? 'sendTest.ok' : 'sendTest.failed')}
      </strong>
      {result.detail && <span class="test-detail">{t('sendTest.detail', { detail: result.detail })}</span>}
    </div>
  )
}
