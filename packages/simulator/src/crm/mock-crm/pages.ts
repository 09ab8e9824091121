import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { problems, route, routesApp, type DeclaredRoute } from '../../http/declare-routes.js'
import { escapeHtml } from '../../http/html.js'
import { problem } from '../../http/problem.js'
import {
  fileResponse,
  baseUrlOf,
  downloadGuard,
  idParam,
  IdParamsSchema,
  type MockCrmDeps,
} from './shared.js'
import { accountName, type MockCrmFields, type MockCrmRecord } from './store.js'

/*
 * The CRM's pages, what the Account and Record lookup URLs, the Display URL and `CRM_Record_Pop`'s
 * `recordUrl` point at (seed 000, CRM lookup URLs; Display custom CRM in CCAI Platform portal;
 * CRM record pop): `/accounts/:id`, `/records/:id`, plus downloads for the Attachment URL and
 * Attachment Builder URL, and `/espo/` for EspoCRM-style `#Case/view/{RECORD_ID}` links and
 * `?entryPoint=download&id=` downloads. Pages need no credentials: they stand for the CRM's UI,
 * where the agent is already signed in (seed 000: "The Agent must be logged in to their CRM").
 */

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

function html(c: Context, input: { title: string; body: string; base: string }): Response {
  return c.html(page(input), 200)
}

const HTML = { 'text/html': { type: 'string' } } as const
const BYTES = {
  description: 'The bytes, with their content type and filename',
  content: {
    'application/octet-stream': { type: 'string', contentMediaType: 'application/octet-stream' },
  },
} as const

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
  const { store } = deps

  const home = (c: Context): Response => {
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
  }

  const accountPage = (c: Context): Response => {
    const id = idParam(c)
    const account = store.getAccount(id)
    const base = baseUrlOf(deps, { c, marker: '/accounts/' })
    if (!account) return problem(c, 'not_found', `no account with id ${id}`)
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
  }

  const recordPage = (c: Context): Response => {
    const id = idParam(c)
    const record = store.getRecord(id)
    const base = baseUrlOf(deps, { c, marker: '/records/' })
    if (!record) return problem(c, 'not_found', `no record with id ${id}`)
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
          `<li><a href="${escapeHtml(`${base}/records/${encodeURIComponent(record.id)}/attachments/${encodeURIComponent(a.id)}`)}">${escapeHtml(a.filename)}</a> <span class="muted">${escapeHtml(a.contentType)} · ${a.size} bytes</span></li>`,
      )
      .join('')}</ul>`
    return html(c, { title: recordTitle(record), body, base })
  }

  const download = (c: Context): Response => {
    const refused = downloadGuard(deps, c)
    if (refused) return refused
    const attachment = store.getAttachment(idParam(c))
    if (!attachment) return problem(c, 'not_found', `no attachment with id ${idParam(c)}`)
    return fileResponse(attachment)
  }

  const recordDownload = (c: Context): Response => {
    const refused = downloadGuard(deps, c)
    if (refused) return refused
    const attachment = store.getAttachment(idParam(c))
    const record = store.getRecord(idParam(c, 'recordId'))
    if (!attachment || !record || attachment.recordId !== record.id)
      return problem(
        c,
        'not_found',
        `no attachment ${idParam(c)} on record ${idParam(c, 'recordId')}`,
      )
    return fileResponse(attachment)
  }

  const espo = (c: Context): Response => {
    if (c.req.query('entryPoint') === 'download') {
      const refused = downloadGuard(deps, c)
      if (refused) return refused
      const attachment = store.getAttachment(c.req.query('id') ?? '')
      if (!attachment)
        return problem(c, 'not_found', `no attachment with id ${c.req.query('id') ?? ''}`)
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
  const pageRoute = (input: {
    path: string
    summary: string
    params?: z.ZodObject
    handler: (c: Context) => Response
  }): DeclaredRoute =>
    route({
      method: 'get',
      path: input.path,
      summary: input.summary,
      ...(input.params ? { request: { params: input.params } } : {}),
      responses: { 200: { description: 'An HTML page', content: HTML }, ...problems('not_found') },
      handler: input.handler,
    })
  return routesApp('mock CRM', [
    route({
      method: 'get',
      path: '/',
      // `/crm/` too: the pages' own header link and the console's link use it.
      trailingSlash: true,
      summary: "The mock CRM's front page: every account and record",
      responses: { 200: { description: 'An HTML page', content: HTML } },
      handler: home,
    }),
    pageRoute({
      path: '/accounts/:id',
      summary: 'An account page (the Account lookup URL)',
      params: IdParamsSchema,
      handler: accountPage,
    }),
    pageRoute({
      path: '/records/:id',
      summary: 'A record page (the Record lookup URL, the Display URL, CRM_Record_Pop)',
      params: IdParamsSchema,
      handler: recordPage,
    }),
    route({
      method: 'get',
      path: '/attachments/:id',
      summary: 'Download an attachment (the Attachment URL)',
      description:
        'No credentials on loopback; beyond loopback (`host`), the mock CRM’s own (`crm.mock.auth`).',
      request: { params: IdParamsSchema },
      responses: { 200: BYTES, ...problems('not_found', 'unauthorized') },
      handler: download,
    }),
    route({
      method: 'get',
      path: '/records/:recordId/attachments/:id',
      summary: "Download a record's attachment (the Attachment Builder URL)",
      request: {
        params: z.object({ recordId: z.string(), id: z.string().describe('The attachment id') }),
      },
      responses: { 200: BYTES, ...problems('not_found', 'unauthorized') },
      handler: recordDownload,
    }),
    route({
      method: 'get',
      path: '/espo',
      trailingSlash: true,
      summary: 'EspoCRM-style links: #Case/view/{id} and #Contact/view/{id}; ?entryPoint=download',
      description:
        'Also at `/espo/`. Hash routes never reach a server: the page maps them to /records/{id} and /accounts/{id}. With `entryPoint=download&id=`, the attachment’s bytes.',
      request: {
        query: z.object({
          entryPoint: z.literal('download').optional(),
          id: z.string().optional().describe('The attachment id, with entryPoint=download'),
        }),
        validate: false,
      },
      responses: {
        200: {
          description: 'The page, or the bytes with entryPoint=download',
          content: { ...HTML, ...BYTES.content },
        },
        ...problems('not_found', 'unauthorized'),
      },
      handler: espo,
    }),
  ])
}
