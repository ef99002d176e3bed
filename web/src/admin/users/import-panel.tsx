import { FULL_NAME_MAX_LENGTH, type ImportReport } from '@ioc/shared'
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { REFUSAL_LABEL, ROLE_LABEL } from '../../auth/roles.ts'
import { t } from '../../i18n/lang.ts'
import { Field, useFocusFirstError } from '../../ui/field.tsx'
import { usersApi } from '../admin-api.ts'
import { adminFailureText } from '../admin-errors.ts'

interface ImportPanelProps {
  areaName: (id: string) => string
  onImported: (report: ImportReport) => void
  onClose: () => void
}

/**
 * Accounts from a CSV file (picked or pasted): "check" asks the server for a dry run and shows what
 * would be created and what is refused and why; only then does "create" make them.
 */
export function ImportPanel({ areaName, onImported, onClose }: ImportPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null)
  const form = useRef<HTMLFormElement>(null)
  const [csv, setCsv] = useState('')
  const [report, setReport] = useState<ImportReport | null>(null)
  const [pending, setPending] = useState<'check' | 'create' | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [empty, setEmpty] = useState(false)
  const [attempt, setAttempt] = useState(0)
  useFocusFirstError(form, attempt)
  useEffect(() => heading.current?.focus(), [])

  const edit = (text: string) => {
    setCsv(text)
    setEmpty(false)
    // A report is about the text it checked: any change makes it stale.
    setReport(null)
  }

  const pick = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0]
    if (!file) return
    try {
      edit(await file.text())
      setProblem(null)
    } catch {
      setProblem(t('import.fileError'))
    }
  }

  const send = async (dryRun: boolean) => {
    if (csv.trim() === '') {
      setEmpty(true)
      return setAttempt((n) => n + 1)
    }
    setPending(dryRun ? 'check' : 'create')
    setProblem(null)
    try {
      const result = await usersApi.import(csv, dryRun)
      setReport(result)
      if (!result.dryRun) onImported(result)
    } catch (error) {
      if (!(error instanceof ApiRequestError)) throw error
      setProblem(adminFailureText(error.failure))
      setAttempt((n) => n + 1)
    } finally {
      setPending(null)
    }
  }

  const checked = report?.dryRun ? report : null
  return (
    <section class="panel admin-panel" aria-labelledby="import-title" data-testid="import-panel">
      <div class="detail-head">
        <h2 id="import-title" ref={heading} tabIndex={-1}>
          {t('import.title')}
        </h2>
        <button type="button" class="close" aria-label={t('common.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <p class="muted small-text">{t('import.intro')}</p>
      <form
        ref={form}
        class="form"
        noValidate
        aria-busy={pending !== null}
        onSubmit={(event) => {
          event.preventDefault()
          void send(true)
        }}
      >
        {problem && (
          <p class="form-error" role="alert" tabIndex={-1}>
            {problem}
          </p>
        )}
        <Field id="import-file" label={t('import.file')}>
          {(control) => <input {...control} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void pick(e)} data-testid="import-file" />}
        </Field>
        <Field id="import-text" label={t('import.text')} error={empty ? t('import.empty') : null}>
          {(control) => (
            <textarea
              {...control}
              rows={6}
              spellcheck={false}
              placeholder="username,full_name,role,area"
              value={csv}
              onInput={(e) => edit(e.currentTarget.value)}
              data-testid="import-text"
            />
          )}
        </Field>
        <div class="form-actions">
          <button type="submit" class="secondary" disabled={pending !== null} data-testid="import-check">
            {pending === 'check' && <span class="spinner" aria-hidden="true" />}
            {pending === 'check' ? t('import.checking') : t('import.check')}
          </button>
          {checked && checked.created.length > 0 && (
            <button type="button" class="primary" disabled={pending !== null} onClick={() => void send(false)} data-testid="import-create">
              {pending === 'create' && <span class="spinner" aria-hidden="true" />}
              {pending === 'create' ? t('import.creating') : t('import.create', { count: checked.created.length })}
            </button>
          )}
        </div>
      </form>
      {report && <ImportResult report={report} areaName={areaName} />}
    </section>
  )
}

function ImportResult({ report, areaName }: { report: ImportReport; areaName: (id: string) => string }) {
  const counts = { created: report.created.length, refused: report.refused.length }
  const col = {
    line: t('import.col.line'),
    username: t('users.col.username'),
    fullName: t('users.col.fullName'),
    role: t('users.col.role'),
    area: t('users.col.area'),
    reason: t('import.col.reason'),
  }
  return (
    <div class="import-report" role="status" data-testid="import-report" data-dry-run={String(report.dryRun)}>
      <h3>{report.dryRun ? t('import.dryRunTitle') : t('import.doneTitle')}</h3>
      <p>{report.dryRun ? t('import.dryRunSummary', counts) : t('import.doneSummary', counts)}</p>
      {report.dryRun && counts.created === 0 && <p class="warning-text">{t('import.nothingToCreate')}</p>}
      {counts.refused > 0 && (
        <div class="table-wrap">
          <table class="data-table stacking" data-testid="import-refused">
            <caption>{t('import.refusedTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{col.line}</th>
                <th scope="col">{col.username}</th>
                <th scope="col">{col.reason}</th>
              </tr>
            </thead>
            <tbody>
              {report.refused.map((row) => (
                <tr key={row.line} data-reason={row.reason}>
                  <td data-label={col.line}>{row.line}</td>
                  <td data-label={col.username}>{row.username ?? '—'}</td>
                  <td data-label={col.reason}>{t(REFUSAL_LABEL[row.reason], { max: FULL_NAME_MAX_LENGTH })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {counts.created > 0 && (
        <div class="table-wrap">
          <table class="data-table stacking" data-testid="import-created">
            <caption>{t('import.createdTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{col.line}</th>
                <th scope="col">{col.username}</th>
                <th scope="col">{col.fullName}</th>
                <th scope="col">{col.role}</th>
                <th scope="col">{col.area}</th>
              </tr>
            </thead>
            <tbody>
              {report.created.map((row) => (
                <tr key={row.line}>
                  <td data-label={col.line}>{row.line}</td>
                  <td data-label={col.username}>{row.username}</td>
                  <td data-label={col.fullName}>{row.fullName}</td>
                  <td data-label={col.role}>{t(ROLE_LABEL[row.role])}</td>
                  <td data-label={col.area}>{row.areaId ? areaName(row.areaId) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
