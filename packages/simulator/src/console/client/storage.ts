import { api, type StoredFile } from './api.js'
import { byId, fill, h, prettyBody, storageHref, type Child } from './dom.js'
import { problemBox } from './problem.js'
import { changed, hooks, state } from './state.js'

interface Folder {
  readonly folders: Map<string, Folder>
  readonly files: StoredFile[]
}

function tree(files: readonly StoredFile[]): Folder {
  const root: Folder = { folders: new Map(), files: [] }
  for (const file of files) {
    const parts = file.path.split('/')
    let folder = root
    for (const part of parts.slice(0, -1)) {
      let next = folder.folders.get(part)
      if (next === undefined) {
        next = { folders: new Map(), files: [] }
        folder.folders.set(part, next)
      }
      folder = next
    }
    folder.files.push(file)
  }
  return root
}

function count(folder: Folder): number {
  let n = folder.files.length
  for (const inner of folder.folders.values()) n += count(inner)
  return n
}

/** Folders start open the first time they are seen; after that the user's choice is kept. */
const seen = new Set<string>()

function folderView(name: string, path: string, folder: Folder): HTMLElement {
  const key = `st:${path}`
  if (!seen.has(key)) {
    seen.add(key)
    state.open.add(key)
  }
  const details = h(
    'details',
    { class: 'folder', 'data-folder': path },
    h(
      'summary',
      {},
      h('span', { class: 'mono', text: `${name}/` }),
      h('span', { class: 'muted', text: ` ${String(count(folder))}` }),
    ),
    contents(path, folder),
  )
  details.open = state.open.has(key)
  details.addEventListener('toggle', () => {
    if (details.open) state.open.add(key)
    else state.open.delete(key)
  })
  return details
}

function contents(path: string, folder: Folder): HTMLElement {
  const folders = [...folder.folders.entries()].sort(([a], [b]) => a.localeCompare(b))
  const files = folder.files.slice().sort((a, b) => a.path.localeCompare(b.path))
  return h(
    'ul',
    { class: 'tree' },
    folders.map(([name, inner]) => h('li', {}, folderView(name, `${path}${name}/`, inner))),
    files.map((f) =>
      h(
        'li',
        { class: f.path === state.preview ? 'file selected' : 'file' },
        h('button', {
          type: 'button',
          class: 'link mono',
          text: f.path.split('/').at(-1) ?? f.path,
          'data-path': f.path,
          'aria-label': `Preview ${f.path}`,
          onclick: () => {
            hooks.openFile(f.path)
          },
        }),
        h('span', { class: 'muted', text: ` ${String(f.bytes)} B` }),
      ),
    ),
  )
}

export async function loadStorage(): Promise<void> {
  const body = byId('storage-body')
  const result = await api<{ files: StoredFile[] }>('GET', '/storage/')
  if (!result.ok) {
    if (changed('storage', JSON.stringify(result.problem))) fill(body, problemBox(result.problem))
    return
  }
  if (!changed('storage', `${result.text}|${String(state.preview)}`)) return
  const files = result.data.files
  fill(
    body,
    files.length === 0
      ? h('p', {
          class: 'muted',
          text: 'No files yet: files appear at their virtual time (transcripts soon after a session ends, metadata ~15 minutes later).',
        })
      : contents('', tree(files)),
  )
}

function kindOf(
  path: string,
  contentType: string,
): 'json' | 'text' | 'audio' | 'image' | 'video' | 'other' {
  if (contentType.includes('json') || path.endsWith('.json')) return 'json'
  if (contentType.startsWith('audio/')) return 'audio'
  if (contentType.startsWith('image/')) return 'image'
  if (contentType.startsWith('video/')) return 'video'
  if (contentType.startsWith('text/')) return 'text'
  return 'other'
}

/** A preview of one stored file: JSON pretty-printed, text as text, players for media. */
export async function showFile(path: string): Promise<void> {
  state.preview = path
  state.last.delete('storage')
  const view = byId('storage-preview')
  view.hidden = false
  const href = storageHref(path)
  const response = await fetch(href)
  if (!response.ok) {
    const text = await response.text()
    fill(view, problemBox({ title: `HTTP ${String(response.status)}`, detail: text.slice(0, 300) }))
    return
  }
  const contentType = response.headers.get('content-type') ?? 'application/octet-stream'
  const kind = kindOf(path, contentType)
  let preview: Child
  switch (kind) {
    case 'json':
      preview = h('pre', { class: 'preview-json', text: prettyBody(await response.text()) })
      break
    case 'text':
      preview = h('pre', { class: 'preview-text', text: await response.text() })
      break
    case 'audio':
      preview = h('audio', {
        controls: true,
        preload: 'metadata',
        src: href,
        'aria-label': `Recording ${path}`,
      })
      break
    case 'video':
      preview = h('video', {
        controls: true,
        preload: 'metadata',
        src: href,
        'aria-label': `Video ${path}`,
      })
      break
    case 'image':
      preview = h('img', { src: href, alt: `Image ${path}` })
      break
    case 'other':
      preview = h('p', { class: 'muted', text: 'No preview for this kind of file.' })
      break
  }
  if (kind === 'audio' || kind === 'video' || kind === 'image') await response.body?.cancel()
  fill(
    view,
    h(
      'div',
      { class: 'row spread' },
      h('h3', { class: 'mono', id: 'preview-path', text: path }),
      h('button', {
        type: 'button',
        text: 'Close',
        'aria-label': 'Close the preview',
        onclick: () => {
          state.preview = null
          view.hidden = true
          fill(view)
          state.last.delete('storage')
          hooks.refresh()
        },
      }),
    ),
    h(
      'p',
      { class: 'muted' },
      `${contentType} · `,
      h('a', { href, download: path.split('/').at(-1) ?? 'file', text: 'download' }),
    ),
    preview,
  )
  view.scrollIntoView({ block: 'nearest' })
}
