import { Hono, type Context } from 'hono'
import { fileResponse, baseUrlOf, downloadGuard, idParam, type MockCrmDeps } from './shared.js'
import { accountName, type MockCrmFields, type MockCrmRecord } from './store.js'

/*
 * The CRM's pages, what the Account and Record lookup URLs, the Display URL and `CRM_Record_Pop`'s
 * `recordUrl` point at (seed 000, CRM lookup URLs; Display custom CRM in CCAI Platform portal;
 * CRM record pop): `/accounts/:id`, `/records/:id`, plus downloads for the Attachment URL and
 * Attachment Builder URL, and `/espo/` for EspoCRM-style `#Case/view/{RECORD_ID}` links and
 * `?entryPoint=download&id=` downloads. Pages need no credentials: they stand for the CRM's UI,
 * where the agent is already signed in (seed 000: "The Agent must be logged in to their CRM").
 */

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

function display(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

function page(input: { title: string; body: string; base: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.title)} · ccai-sim mock CRM</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
iframe.comment { border: 1px solid #d0d7de; width: 100%; min-height: 4rem; }
.muted { color: #656d76; }
</style>
</head>
<body>
<p class="muted"><a href="${escapeHtml(input.base || '/')}">ccai-sim mock CRM</a></p>
${input.body}
</body>
</html>`
}

function fieldsTable(fields: MockCrmFields, extra: readonly [string, string][]): string {
  const rows = [
    ...extra.map(([k, v]) => [k, v] as const),
    ...Object.entries(fields).map(([k, v]) => [k, display(v)] as const),
  ]
  return `<table data-testid="fields"><tbody>${rows
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</tbody></table>`
}

function html(
  c: Context,
  input: { title: string; body: string; base: string; status?: 200 | 404 },
): Response {
  return c.html(page(input), input.status ?? 200)
}

function recordTitle(record: MockCrmRecord): string {
  const f = record.fields
  for (const key of ['subject', 'name', 'title']) {
    const value = f[key]
    if (typeof value === 'string' && value.trim() !== '') return value
  }
  return `Record ${record.id}`
}

const LOOKS_LIKE_HTML = /<[a-z][^>]*>/i

/** The pages and public downloads, relative to the mock CRM's mount point. */
export function mockCrmPages(deps: MockCrmDeps): Hono {
  const app = new Hono()
  const { store } = deps

  app.get('/', (c) => {
    const base =
      deps.baseUrl?.replace(/\/+$/, '') ??
      new URL(c.req.url).href.replace(/[?#].*$/, '').replace(/\/+$/, '')
    const accounts = store.accounts()
    const records = store.records()
    const body = `<h1>Mock CRM</h1>
<h2>Accounts (${accounts.length})</h2>
<ul>${accounts
      .map(
        (a) =>
          `<li><a href="${escapeHtml(`${base}/accounts/${encodeURIComponent(a.id)}`)}">${escapeHtml(accountName(a))}</a> <span class="muted">#${escapeHtml(a.id)}</span></li>`,
      )
      .join('')}</ul>
<h2>Records (${records.length})</h2>
<ul>${records
      .map(
        (r) =>
          `<li><a href="${escapeHtml(`${base}/records/${encodeURIComponent(r.id)}`)}">${escapeHtml(recordTitle(r))}</a> <span class="muted">#${escapeHtml(r.id)} · ${escapeHtml(r.status)}</span></li>`,
      )
      .join('')}</ul>`
    return html(c, { title: 'Mock CRM', body, base })
  })

  app.get('/accounts/:id', (c) => {
    const id = idParam(c)
    const account = store.getAccount(id)
    const base = baseUrlOf(deps, { c, marker: '/accounts/' })
    if (!account)
      return html(c, {
        title: 'Account not found',
        body: `<h1>Account not found</h1><p>No account with id ${escapeHtml(id)}.</p>`,
        base,
        status: 404,
      })
    const records = store.findRecords({ accountId: account.id })
    const body = `<h1 data-testid="account-name">${escapeHtml(accountName(account))}</h1>
<p class="muted">Account <span data-testid="account-id">${escapeHtml(account.id)}</span> · created ${new Date(account.createdAt).toISOString()} · updated ${new Date(account.updatedAt).toISOString()}</p>
${fieldsTable(account.fields, [])}
<h2>Records (${records.length})</h2>
<ul>${records
      .map(
        (r) =>
          `<li><a href="${escapeHtml(`${base}/records/${encodeURIComponent(r.id)}`)}">${escapeHtml(recordTitle(r))}</a> <span class="muted">${escapeHtml(r.status)}</span></li>`,
      )
      .join('')}</ul>`
    return html(c, { title: accountName(account), body, base })
  })

  app.get('/records/:id', (c) => {
    const id = idParam(c)
    const record = store.getRecord(id)
    const base = baseUrlOf(deps, { c, marker: '/records/' })
    if (!record)
      return html(c, {
        title: 'Record not found',
        body: `<h1>Record not found</h1><p>No record with id ${escapeHtml(id)}.</p>`,
        base,
        status: 404,
      })
    const account = record.accountId === undefined ? undefined : store.getAccount(record.accountId)
    const comments = store.commentsOf(record.id)
    const attachments = store.attachmentsOf(record.id)
    const accountLine = account
      ? `<p>Account: <a data-testid="account-link" href="${escapeHtml(`${base}/accounts/${encodeURIComponent(account.id)}`)}">${escapeHtml(accountName(account))}</a></p>`
      : record.accountId === undefined
        ? '<p class="muted">No account</p>'
        : `<p class="muted">Account ${escapeHtml(record.accountId)} (unknown)</p>`
    const body = `<h1 data-testid="record-title">${escapeHtml(recordTitle(record))}</h1>
<p class="muted">Record <span data-testid="record-id">${escapeHtml(record.id)}</span> · status <span data-testid="record-status">${escapeHtml(record.status)}</span> · created ${new Date(record.createdAt).toISOString()} · updated ${new Date(record.updatedAt).toISOString()}</p>
${accountLine}
${fieldsTable(record.fields, [])}
<h2>Comments (${comments.length})</h2>
<ol data-testid="comments">${comments
      .map((comment) => {
        const when = new Date(comment.createdAt).toISOString()
        // HTML comments (Convert text to HTML) render in a sandbox: no scripts, no same origin.
        const content = LOOKS_LIKE_HTML.test(comment.body)
          ? `<iframe class="comment" sandbox srcdoc="${escapeHtml(comment.body)}" title="comment ${escapeHtml(comment.id)}"></iframe>`
          : `<pre>${escapeHtml(comment.body)}</pre>`
        return `<li><span class="muted">${when}</span>${content}</li>`
      })
      .join('')}</ol>
<h2>Attachments (${attachments.length})</h2>
<ul data-testid="attachments">${attachments
      .map(
        (a) =>
          `<li><a href="${escapeHtml(`${base}/records/${encodeURIComponent(record.id)}/attachments/${encodeURIComponent(a.id)}`)}">${escapeHtml(a.filename)}</a> <span class="muted">${escapeHtml(a.contentType)} · ${a.bytes.byteLength} bytes</span></li>`,
      )
      .join('')}</ul>`
    return html(c, { title: recordTitle(record), body, base })
  })

  app.get('/attachments/:id', (c) => {
    const refused = downloadGuard(deps, c)
    if (refused) return refused
    const attachment = store.getAttachment(idParam(c))
    if (!attachment) return c.text('no such attachment', 404)
    return fileResponse(attachment)
  })

  app.get('/records/:recordId/attachments/:id', (c) => {
    const refused = downloadGuard(deps, c)
    if (refused) return refused
    const attachment = store.getAttachment(idParam(c))
    const record = store.getRecord(idParam(c, 'recordId'))
    if (!attachment || !record || attachment.recordId !== record.id)
      return c.text('no such attachment on this record', 404)
    return fileResponse(attachment)
  })

  const espo = (c: Context): Response => {
    if (c.req.query('entryPoint') === 'download') {
      const refused = downloadGuard(deps, c)
      if (refused) return refused
      const attachment = store.getAttachment(c.req.query('id') ?? '')
      if (!attachment) return c.text('no such attachment', 404)
      return fileResponse(attachment)
    }
    const base = baseUrlOf(deps, { c, marker: '/espo' })
    // EspoCRM links are hash routes (`#Case/view/{id}`), which never reach a server: a script maps them.
    const script = `const m=/^#(Case|Contact)\\/view\\/([^/?#]+)/.exec(location.hash);if(m){location.replace(${JSON.stringify(base).replaceAll('<', '\\u003c')}+(m[1]==='Case'?'/records/':'/accounts/')+m[2]);}else{document.getElementById('hint').hidden=false;}`
    return html(c, {
      title: 'EspoCRM',
      base,
      body: `<h1>Mock EspoCRM</h1><p id="hint" hidden>Open <code>#Case/view/{id}</code> or <code>#Contact/view/{id}</code>.</p><script>${script}</script>`,
    })
  }
  app.get('/espo', espo)
  app.get('/espo/', espo)

  return app
}
